import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { AppConfig } from './app-config';
import { isSecretField } from './config-decorators';
import { buildConfigTree, EnvRecord } from './env-tree';

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/** The nearest `.env` from `cwd` upwards, if any. */
export function readDotenv(cwd = process.cwd()): EnvRecord {
  for (let dir = cwd; ; dir = dirname(dir)) {
    const file = join(dir, '.env');
    if (existsSync(file)) return parseDotenv(readFileSync(file));
    if (dirname(dir) === dir) return {};
  }
}

/** Real environment wins over `.env`. */
export function defaultEnv(): EnvRecord {
  return { ...readDotenv(), ...process.env };
}

export function loadAppConfig(env: EnvRecord): AppConfig {
  const { tree, sources } = buildConfigTree(env);
  const config = plainToInstance(AppConfig, tree, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: true });
  if (errors.length > 0) {
    throw new ConfigValidationError(describe(errors, [], sources));
  }
  return config;
}

function describe(errors: ValidationError[], parents: string[], sources: Map<string, string>): string[] {
  return errors.flatMap((error) => {
    const path = [...parents, error.property];
    const own = Object.values(error.constraints ?? {});
    const nested = describe(error.children ?? [], path, sources);
    if (own.length === 0) return nested;
    const variable = sources.get(path.join('.')) ?? envNameOf(path);
    const shown = error.target && isSecretField(error.target, error.property) ? '"****"' : JSON.stringify(error.value);
    return [`${variable}: ${unique(own).join('; ')} (got ${shown})`, ...nested];
  });
}

const unique = (items: string[]) => [...new Set(items)];

/** The variable that sets the config field at `path` (`['fastapi', 'apiPort']` → `AIGW_FASTAPI__API_PORT`). */
export function envNameOf(path: string[]): string {
  const snake = path.map((segment) => segment.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase());
  return snake[0] === 'DUO_WORKFLOW' ? `DUO_WORKFLOW_${snake.slice(1).join('__')}` : `AIGW_${snake.join('__')}`;
}
