import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeReply, RecordedRequest } from '@gitlab-ai-gateway/provider-api/testing';
import { ReceivedAction } from './workflow-stream';

const WORKFLOW_PATH = /^\/api\/v4\/ai\/duo_workflows\/workflows\/\d+/;

/**
 * The actions of a call as short lines: `PATCH workflow start`, `POST workflow/checkpoints?…`, `runCommand git
 * commit -m Fix`, `checkpoint RUNNING`. Consecutive checkpoints collapse into the last one, which is what the
 * server's coalescing sends whatever the timing (§4.2).
 */
export function traceOf(actions: readonly ReceivedAction[]): string[] {
  const lines: string[] = [];
  for (const action of actions) {
    const line = lineOf(action);
    if (line.startsWith('checkpoint ') && lines.at(-1)?.startsWith('checkpoint ')) lines.pop();
    lines.push(line);
  }
  return lines;
}

function lineOf(action: ReceivedAction): string {
  const payload = action[action.action];
  switch (action.action) {
    case 'newCheckpoint':
      return `checkpoint ${payload.status}`;
    case 'runHTTPRequest': {
      const path = String(payload.path)
        .replace(WORKFLOW_PATH, 'workflow')
        .replace(/^\/api\/v4\//, '');
      if (payload.method === 'PATCH') return `PATCH ${path} ${JSON.parse(payload.body).status_event}`;
      return `${payload.method} ${path === '/api/graphql' ? 'graphql' : path}`;
    }
    case 'runCommand':
      return `runCommand ${payload.program} ${payload.arguments.join(' ')}`;
    case 'runReadFile':
    case 'runWriteFile':
    case 'runEditFile':
      return `${action.action} ${payload.filepath}`;
    default:
      return action.action;
  }
}

/** Which component a model request comes from: the first marker its system prompt contains. */
export type ComponentMarkers = Record<string, string>;

/**
 * A model script per flow component: each component answers its own replies in order (the last repeats), and
 * every request is recorded under its component, to check what the model saw there.
 */
export function scriptByComponent(markers: ComponentMarkers, replies: Record<string, FakeReply[]>) {
  const seen: Record<string, RecordedRequest[]> = {};
  const reply = (request: RecordedRequest): FakeReply => {
    const system = String(request.body.messages[0]?.content ?? '');
    const component = Object.keys(markers).find((name) => system.includes(markers[name]));
    if (!component)
      return { status: 500, errorMessage: `no component matches the system prompt: ${system.slice(0, 80)}` };
    const requests = (seen[component] ??= []);
    requests.push(request);
    const script = replies[component] ?? [{ text: 'done' }];
    return script[Math.min(requests.length - 1, script.length - 1)];
  };
  return { reply, seen };
}

export const toolCall = (id: string, name: string, args: object) => ({ id, name, arguments: JSON.stringify(args) });

/** A Git work tree with one commit on `main` and a bare `origin` the flow can push to. */
export function gitWorkdir(files: Record<string, string>): { workdir: string; origin: string } {
  const workdir = mkdtempSync(join(tmpdir(), 'flow-repo-'));
  const origin = mkdtempSync(join(tmpdir(), 'flow-origin-'));
  const git = (cwd: string, ...args: string[]) => {
    const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
    return result.stdout.trim();
  };
  git(origin, 'init', '--bare', '-q', '-b', 'main');
  git(workdir, 'init', '-q', '-b', 'main');
  git(workdir, 'config', 'user.email', 'duo@gitlab.example');
  git(workdir, 'config', 'user.name', 'Duo');
  for (const [path, text] of Object.entries(files)) writeFileSync(join(workdir, path), text);
  git(workdir, 'add', '-A');
  git(workdir, 'commit', '-q', '-m', 'initial');
  git(workdir, 'remote', 'add', 'origin', origin);
  git(workdir, 'push', '-q', 'origin', 'main');
  return { workdir, origin };
}

export function gitIn(cwd: string, ...args: string[]): string {
  return spawnSync('git', args, { cwd, encoding: 'utf8' }).stdout.trim();
}
