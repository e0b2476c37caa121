import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/** The folder holding package.json: the same from sources (tests) and from the bundle in dist/. */
export function projectRoot(): string {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'proto'))) return (cached = dir);
    if (dirname(dir) === dir) throw new Error(`No project root (package.json + proto/) above ${__dirname}`);
  }
}
