import { AppError, ErrorCode } from '@app/common';
import { CheckpointWriteMode } from '../checkpoint/checkpoint-writer';
import { StatusEvent } from '../checkpoint/status-events';
import { GitLabHttp } from './gitlab-http';
import { checkpointOf, parseWorkflowRecord, WorkflowRecord } from './workflow-record';
import { TOOL_CALL_APPROVED_QUERY, workflowGlobalId, workflowQuery } from './workflow-query';

/** One entry of `GET …/workflows/:id/events` (§6.6). */
export interface WorkflowEvent {
  id: number | string;
  event_type: string;
  message?: string | null;
}

const isWorkflowEvent = (value: unknown): value is WorkflowEvent =>
  !!value &&
  typeof value === 'object' &&
  ['number', 'string'].includes(typeof (value as WorkflowEvent).id) &&
  typeof (value as WorkflowEvent).event_type === 'string';

/** GraphQL answers are awaited 10 s (§4.2). */
const GRAPHQL_TIMEOUT_MS = 10_000;

/** One GitLab workflow (session) as seen through the executor: fetch, status events, checkpoints (§6.2, §6.6). */
export class WorkflowStore {
  private readonly restPath: string;

  constructor(
    private readonly http: GitLabHttp,
    private readonly workflowId: string,
    private readonly gitlabVersion: string | undefined,
  ) {
    this.restPath = `/api/v4/ai/duo_workflows/workflows/${encodeURIComponent(workflowId)}`;
  }

  async fetch(): Promise<WorkflowRecord> {
    const result = await this.graphql(workflowQuery(this.gitlabVersion), {});
    return parseWorkflowRecord(result.statusCode, result.body);
  }

  /** PATCH the status event; anything but 200 fails the call (§6.2 step 3). */
  async updateStatus(event: StatusEvent, { starting }: { starting: boolean }): Promise<void> {
    const result = await this.http.withRetries({ method: 'PATCH', path: this.restPath, body: { status_event: event } });
    if (result.statusCode === 200) return;
    if (result.statusCode === 403 && starting) {
      throw new AppError(ErrorCode.PermissionDenied, "workflow execution didn't start due to forbidden response");
    }
    if (result.statusCode === 400) {
      throw new AppError(ErrorCode.Internal, 'Session status cannot be updated due to bad status event');
    }
    throw new AppError(ErrorCode.Internal, `Session status update '${event}' answered HTTP ${result.statusCode}`);
  }

  /** POST one checkpoint; the answer is not checked (§4.6 step 5). */
  async saveCheckpoint(body: Record<string, unknown>, strategy: CheckpointWriteMode = 'full'): Promise<void> {
    await this.http.withRetries({
      method: 'POST',
      path: `${this.restPath}/checkpoints?checkpoint_strategy=${strategy}`,
      body,
    });
  }

  /**
   * The newest stored checkpoint, for GitLab versions whose GraphQL answer carries none; `compressed`: the
   * instance stores compressed checkpoints, so ask for them (§6.6).
   */
  async latestCheckpoint(compressed = false): Promise<Record<string, unknown> | undefined> {
    const query = compressed ? 'per_page=1&accept_compressed=true' : 'per_page=1';
    const result = await this.http.withRetries({ method: 'GET', path: `${this.restPath}/checkpoints?${query}` });
    if (result.statusCode !== 200) return undefined;
    const list: unknown = JSON.parse(result.body || '[]');
    return Array.isArray(list) ? checkpointOf(list[0]) : undefined;
  }

  /**
   * The oldest undelivered event of the session's human-input queue (§6.6), acknowledged as delivered
   * before it is used; undefined when there is none.
   */
  async nextEvent(): Promise<WorkflowEvent | undefined> {
    const result = await this.http.withRetries({ method: 'GET', path: `${this.restPath}/events` });
    if (result.statusCode !== 200) return undefined;
    let events: unknown;
    try {
      events = JSON.parse(result.body || '[]');
    } catch {
      return undefined;
    }
    const event = Array.isArray(events) ? events.find(isWorkflowEvent) : undefined;
    if (!event) return undefined;
    await this.http.withRetries({
      method: 'PUT',
      path: `${this.restPath}/events/${encodeURIComponent(String(event.id))}`,
      body: { event_status: 'delivered' },
    });
    return event;
  }

  /** GitLab's approval answer for one tool call; any failure counts as "not approved" (§6.3). */
  async toolCallApproved(toolName: string, toolCallArgs: string): Promise<boolean> {
    try {
      const result = await this.graphql(TOOL_CALL_APPROVED_QUERY, { toolName, toolCallArgs });
      return JSON.parse(result.body)?.data?.duoWorkflowWorkflows?.nodes?.[0]?.toolCallApproved === true;
    } catch (error) {
      if (error instanceof AppError && error.code !== ErrorCode.Internal) throw error;
      return false;
    }
  }

  private graphql(query: string, variables: Record<string, unknown>) {
    return this.http.withRetries({
      method: 'POST',
      path: '/api/graphql',
      body: { query, variables: { workflowId: workflowGlobalId(this.workflowId), ...variables } },
      timeoutMs: GRAPHQL_TIMEOUT_MS,
    });
  }
}
