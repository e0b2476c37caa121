import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * The functions, files and packages where a V8 `.cpuprofile` spent its own (self) time, largest first:
 *
 *   node -r ./bench/ts-register.js bench/cpuprofile-top.ts <file.cpuprofile> [rows]
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function selfTimes(profile: Profile): Map<ProfileNode, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const times = new Map<ProfileNode, number>();
  profile.samples.forEach((id, index) => {
    const node = byId.get(id)!;
    times.set(node, (times.get(node) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  return times;
}

/** `node_modules/<package>`, the repo file, or V8's own category such as `(garbage collector)`. */
function ownerOf(node: ProfileNode): string {
  const { url, functionName } = node.callFrame;
  if (!url) return functionName || '(anonymous)';
  const path = url.replace(/^file:\/\//, '');
  const packageName = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
  if (packageName) return packageName;
  return path.startsWith('node:') ? path : relative(process.cwd(), path);
}

function top(times: Map<string, number>, total: number, rows: number): string {
  return [...times]
    .sort((a, b) => b[1] - a[1])
    .slice(0, rows)
    .map(
      ([name, micros]) =>
        `${((100 * micros) / total).toFixed(1).padStart(5)} %  ${(micros / 1000).toFixed(0).padStart(7)} ms  ${name}`,
    )
    .join('\n');
}

function main(): void {
  const [file, rowsArgument] = process.argv.slice(2);
  const rows = Number(rowsArgument ?? 30);
  const times = selfTimes(JSON.parse(readFileSync(file, 'utf8')) as Profile);
  const total = [...times.values()].reduce((sum, micros) => sum + micros, 0);
  const byFunction = new Map<string, number>();
  const byOwner = new Map<string, number>();
  for (const [node, micros] of times) {
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url ? `${ownerOf(node)}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
    byOwner.set(ownerOf(node), (byOwner.get(ownerOf(node)) ?? 0) + micros);
  }
  process.stdout.write(
    `Total ${(total / 1000).toFixed(0)} ms sampled\n\nBy package or file:\n${top(byOwner, total, rows)}\n\n`,
  );
  process.stdout.write(`By function:\n${top(byFunction, total, rows)}\n`);
}

main();
