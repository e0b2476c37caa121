import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { inflateSync } from 'node:zlib';
import { ReceivedAction, WorkflowStream } from '../helpers/workflow-stream';

export interface RecordedHttp {
  method: string;
  path: string;
  body: any;
}

const STATUS_AFTER: Record<string, string> = {
  start: 'running',
  resume: 'running',
  retry: 'running',
  finish: 'finished',
  drop: 'failed',
  stop: 'stopped',
  pause: 'paused',
  require_input: 'input_required',
  require_plan_approval: 'plan_approval_required',
  require_tool_call_approval: 'tool_call_approval_required',
};

/**
 * GitLab as Workhorse reaches it for one workflow (session): the GraphQL fetch and approval query, status
 * PATCHes (moving `statusName` as Rails does), checkpoint POST/GET. Every call is recorded; state spans calls.
 */
export class FakeGitLab {
  readonly requests: RecordedHttp[] = [];
  readonly statusEvents: string[] = [];
  readonly checkpoints: any[] = [];
  status = 'created';
  /** Fields merged into the GraphQL workflow node. */
  node: Record<string, unknown> = {};
  /** `nodes: []` when false. */
  exists = true;
  patchStatusCode: (event: string) => number = () => 200;
  toolCallApproved: (toolName: string, toolCallArgs: string) => boolean = () => false;
  /** The session's human-input queue (`…/events`, §6.6); PUT `delivered` removes an event. */
  readonly events: Array<{ id: number; event_type: string; message?: string }> = [];
  /** Other REST answers by `METHOD /path` (query included), e.g. the project API the tools call. */
  readonly api = new Map<string, (body: any) => { statusCode: number; body: unknown }>();

  constructor(readonly workflowId = '42') {}

  handle(method: string, path: string, bodyText: string | undefined): { statusCode: number; body: string } {
    const body = bodyText ? JSON.parse(bodyText) : undefined;
    this.requests.push({ method, path, body });
    const base = `/api/v4/ai/duo_workflows/workflows/${this.workflowId}`;
    if (method === 'POST' && path === '/api/graphql') return this.graphql(body);
    if (method === 'PATCH' && path === base) {
      const event = body.status_event as string;
      this.statusEvents.push(event);
      const statusCode = this.patchStatusCode(event);
      if (statusCode === 200) this.status = STATUS_AFTER[event] ?? this.status;
      return { statusCode, body: JSON.stringify({ id: Number(this.workflowId), status: this.status }) };
    }
    if (method === 'POST' && path.startsWith(`${base}/checkpoints`)) {
      // Rails keeps a compressed checkpoint (base64 of zlib of the JSON) as the same document.
      const checkpoint =
        body.checkpoint ?? JSON.parse(inflateSync(Buffer.from(body.compressed_checkpoint, 'base64')).toString('utf8'));
      this.checkpoints.push({ ...body, checkpoint, path });
      return { statusCode: 201, body: JSON.stringify({ id: this.checkpoints.length }) };
    }
    if (method === 'GET' && path === `${base}/events`) return { statusCode: 200, body: JSON.stringify(this.events) };
    if (method === 'PUT' && path.startsWith(`${base}/events/`) && body?.event_status === 'delivered') {
      const index = this.events.findIndex((event) => String(event.id) === path.split('/').at(-1));
      if (index >= 0) this.events.splice(index, 1);
      return { statusCode: index >= 0 ? 200 : 404, body: '{}' };
    }
    const route = this.api.get(`${method} ${path}`);
    if (route) {
      const reply = route(body);
      return {
        statusCode: reply.statusCode,
        body: typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body),
      };
    }
    if (method === 'GET' && path.startsWith(`${base}/checkpoints`)) {
      const newest = [...this.checkpoints]
        .reverse()
        .map((checkpoint) => ({ thread_ts: checkpoint.thread_ts, checkpoint: checkpoint.checkpoint }));
      return { statusCode: 200, body: JSON.stringify(newest) };
    }
    return { statusCode: 404, body: JSON.stringify({ message: '404 Not Found' }) };
  }

  private graphql(body: { query: string; variables: Record<string, string> }) {
    if (body.query.includes('toolCallApproved')) {
      const approved = this.toolCallApproved(body.variables.toolName, body.variables.toolCallArgs);
      return ok({ data: { duoWorkflowWorkflows: { nodes: [{ toolCallApproved: approved }] } } });
    }
    if (!this.exists) return ok({ data: { duoWorkflowWorkflows: { nodes: [] } } });
    const latest = this.checkpoints[this.checkpoints.length - 1];
    const node = {
      statusName: this.status,
      projectId: 1000,
      project: {
        id: 'gid://gitlab/Project/1000',
        name: 'demo',
        description: 'Demo project',
        webUrl: 'https://gitlab.example/demo',
      },
      agentPrivilegesNames: ['read_write_files', 'read_only_gitlab', 'run_commands', 'use_git'],
      preApprovedAgentPrivilegesNames: ['read_write_files', 'read_only_gitlab'],
      mcpEnabled: true,
      allowAgentToRequestUser: true,
      duoContextExclusionSettings: { exclusionRules: [] },
      archived: false,
      stalled: false,
      latestCheckpoint: latest ? { threadTs: latest.thread_ts, checkpoint: JSON.stringify(latest.checkpoint) } : null,
      ...this.node,
    };
    return ok({ data: { duoWorkflowWorkflows: { nodes: [node] } } });
  }
}

const ok = (body: unknown) => ({ statusCode: 200, body: JSON.stringify(body) });

export interface ExecutorOptions {
  /** Actions the test answers itself (`answer`); default: none. */
  hold?: (action: ReceivedAction) => boolean;
  mcp?: (name: string, args: any) => string;
}

/** The executor side of a call (Workhorse + IDE): answers actions against `gitlab` and a work directory. */
export class FakeExecutor {
  readonly held: ReceivedAction[] = [];

  constructor(
    private readonly stream: WorkflowStream,
    private readonly gitlab: FakeGitLab,
    private readonly workdir: string,
    private readonly options: ExecutorOptions = {},
  ) {
    void this.run();
  }

  answer(action: ReceivedAction, response: object): void {
    this.stream.send({ actionResponse: { requestID: action.requestID, ...response } });
  }

  private async run(): Promise<void> {
    let index = 0;
    for (;;) {
      while (index < this.stream.actions.length) this.handle(this.stream.actions[index++]);
      if (this.stream.isEnded) return;
      await this.stream.changed();
    }
  }

  private handle(action: ReceivedAction): void {
    if (action.action === 'newCheckpoint') return;
    if (this.options.hold?.(action)) return void this.held.push(action);
    if (action.action === 'scheduleNotification') {
      const { deadline } = JSON.parse(action.scheduleNotification.condition);
      return this.answer(action, { scheduleNotificationResponse: { accepted: true, reason: '', fires_at: deadline } });
    }
    if (action.action === 'runHTTPRequest') {
      const { method, path, body } = action.runHTTPRequest;
      const result = this.gitlab.handle(method, path, body);
      return this.answer(action, {
        httpResponse: { statusCode: result.statusCode, body: result.body, headers: {}, error: '' },
      });
    }
    try {
      this.answer(action, { plainTextResponse: { response: this.perform(action), error: '' } });
    } catch (error) {
      this.answer(action, { plainTextResponse: { response: '', error: (error as Error).message } });
    }
  }

  private perform(action: ReceivedAction): string {
    const at = (path: string) => join(this.workdir, path);
    const payload = action[action.action];
    switch (action.action) {
      case 'runReadFile':
        return readFileSync(at(payload.filepath), 'utf8');
      case 'runReadFiles':
        return JSON.stringify(
          Object.fromEntries(payload.filepaths.map((path: string) => [path, readFileSync(at(path), 'utf8')])),
        );
      case 'runWriteFile':
        writeFileSync(at(payload.filepath), payload.contents);
        return 'File written';
      case 'runEditFile': {
        const text = readFileSync(at(payload.filepath), 'utf8');
        if (!text.includes(payload.oldString)) throw new Error('old string not found');
        writeFileSync(at(payload.filepath), text.replace(payload.oldString, payload.newString));
        return 'File edited';
      }
      case 'listDirectory':
        return readdirSync(at(payload.directory)).join('\n');
      case 'findFiles':
        return walk(this.workdir)
          .filter((path) => path.includes(payload.name_pattern.replace(/\*/g, '')))
          .join('\n');
      case 'grep':
        return walk(at(payload.search_directory))
          .filter((path) => readFileSync(at(path), 'utf8').includes(payload.pattern))
          .join('\n');
      case 'mkdir':
        mkdirSync(at(payload.directory_path), { recursive: true });
        return 'Directory created';
      case 'runCommand':
        return commandOutput(spawnSync(payload.program, payload.arguments, { cwd: this.workdir, encoding: 'utf8' }));
      case 'runShellCommand':
        return commandOutput(spawnSync('sh', ['-c', payload.command], { cwd: this.workdir, encoding: 'utf8' }));
      case 'runMCPTool':
        return this.options.mcp?.(payload.name, JSON.parse(payload.args)) ?? 'mcp ok';
      case 'trackLlmCallForSelfHosted':
        return '';
      default:
        throw new Error(`unsupported action ${action.action}`);
    }
  }
}

function commandOutput(result: { status: number | null; stdout: string; stderr: string }): string {
  if (result.status !== 0) throw new Error(`exit ${result.status}: ${result.stderr}`);
  return result.stdout;
}

function walk(root: string, base = root): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? walk(path, base) : [relative(base, path)];
  });
}
