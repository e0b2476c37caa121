import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { AppError, ErrorCode } from '@app/common';
import { ToolApproval } from '../approval/tool-approval';
import { CheckpointStream } from '../checkpoint/checkpoint-stream';
import { CheckpointWriter, writeModeOf } from '../checkpoint/checkpoint-writer';
import { STATUS_EVENT_FOR } from '../checkpoint/status-events';
import { CheckpointStatus, logEntry } from '../checkpoint/workflow-state';
import { StartWorkflowRequest } from '../contract/contract-types';
import { sessionProjectOf } from '../flows/flow-context';
import { GitLabHttp } from '../gitlab/gitlab-http';
import { WorkflowStore } from '../gitlab/workflow-store';
import { AgentLoop } from '../loop/agent-loop';
import { SelfHostedBilling } from '../loop/self-hosted-billing';
import { SessionModel } from '../loop/session-model';
import { StepBudget } from '../loop/step-budget';
import { ExclusionRules } from '../tools/exclusion-rules';
import { Workflow, WorkflowRun } from '../workflows/workflow';
import { ActionChannel } from './action-channel';
import { CallContext } from './call-context';
import { sessionCapabilities } from './capabilities';
import { assertResumePoint, entryOf, stateOf } from './entry-mode';
import { sessionTools } from './session-tools';
import { StopKind } from './stop-kind';
import { STOPPED, SUCCEEDED, WorkflowEnd } from './workflow-end';

export interface SessionParts {
  channel: ActionChannel;
  start: StartWorkflowRequest;
  workflow: Workflow;
  context: CallContext;
  model: SessionModel;
  billingEnabled: boolean;
  /** The model metadata without `api_key`, stored with checkpoints (§6.8). */
  modelMetadataJson?: string;
  /** How long the final bookkeeping of a stopped or failed run may wait for the client; default 10 s. */
  bookkeepingDeadlineMs?: number;
}

/** What is recorded after a stop or failure (checkpoint, status event) waits at most this long (issue 15). */
const BOOKKEEPING_DEADLINE_MS = 10_000;

/** Ends that keep their own status (§4.4); every other error is a workflow failure. */
const PASSTHROUGH = new Set([
  ErrorCode.BadRequest,
  ErrorCode.PermissionDenied,
  ErrorCode.ResourceExhausted,
  ErrorCode.FailedPrecondition,
  ErrorCode.Unavailable,
  ErrorCode.Cancelled,
]);

/** One `ExecuteWorkflow` call of a session (§4, §6.2): start-up I/O, the workflow, and how it ends. */
export class WorkflowSession {
  private readonly logger = new Logger('agent.session');
  private readonly work = new AbortController();
  private readonly store: WorkflowStore;
  private checkpoints?: CheckpointStream;
  private stopKind?: StopKind;

  constructor(private readonly parts: SessionParts) {
    this.store = new WorkflowStore(new GitLabHttp(parts.channel), parts.start.workflowID, parts.context.gitlabVersion);
  }

  /**
   * Cuts the run short; the first reason decides how the call ends. The client going away or the duration
   * limit also cut whatever the first stop still waits for: nothing the client has not answered can be answered.
   */
  stop(kind: StopKind): void {
    if (this.stopKind) {
      if (kind === 'client_gone' || kind === 'expired') {
        this.parts.channel.close(new AppError(ErrorCode.Cancelled, `workflow stopped (${kind})`));
      }
      return;
    }
    this.stopKind = kind;
    const reason = new AppError(ErrorCode.Cancelled, `workflow stopped (${kind})`);
    if (kind === 'client_gone') this.parts.channel.close(reason);
    else this.parts.channel.failPending(reason);
    this.work.abort(reason);
  }

  async run(): Promise<WorkflowEnd> {
    try {
      const run = await this.prepare();
      const status = await this.parts.workflow.run(run);
      return this.stopKind ? await this.stopped(this.stopKind) : await this.finish(status);
    } catch (error) {
      return await this.end(error);
    } finally {
      this.checkpoints?.dispose();
    }
  }

  private async prepare(): Promise<WorkflowRun> {
    const { start, context, channel } = this.parts;
    const capabilities = sessionCapabilities(start.clientCapabilities ?? [], context.gitlabVersion);
    const record = await this.store.fetch();
    const compressed = writeModeOf(capabilities, record.incrementalCheckpointsEnabled) !== 'full';
    const stored =
      record.latestCheckpoint ??
      (record.status === 'created' ? undefined : await this.store.latestCheckpoint(compressed));
    const entry = entryOf(record, stored);
    assertResumePoint(start.resume_checkpoint_ts, stored);
    await this.store.updateStatus(entry.event, { starting: entry.mode === 'start' });
    const state = stateOf(entry.mode === 'start' ? undefined : stored, start.goal);
    const storedValues = entry.mode === 'start' ? undefined : (stored?.channel_values as Record<string, unknown>);
    const checkpoints = new CheckpointStream(channel, this.store, state, {
      parentTs: typeof stored?.id === 'string' ? stored.id : undefined,
      modelMetadataJson: this.parts.modelMetadataJson,
      incrementalStreaming: capabilities.has('incremental_streaming'),
      writer: new CheckpointWriter(writeModeOf(capabilities, record.incrementalCheckpointsEnabled), storedValues),
    });
    this.checkpoints = checkpoints;
    const { tools, preapproved } = sessionTools(record, start, context.identity, capabilities);
    const toolContext = {
      channel,
      gitlab: new GitLabHttp(channel),
      capabilities,
      exclusion: new ExclusionRules(record.exclusionRules),
      state,
      project: sessionProjectOf(record),
    };
    const billing = new SelfHostedBilling(
      channel,
      this.parts.billingEnabled,
      start.workflowID,
      this.parts.workflow.name,
    );
    const budget = new StepBudget();
    const loop = new AgentLoop({
      model: this.parts.model,
      checkpoints,
      approval: new ToolApproval(preapproved, this.store),
      toolContext,
      billing,
      budget,
      signal: this.work.signal,
    });
    const modelFamily = this.parts.model.family;
    return { start, record, entry: entry.mode, checkpoints, loop, tools, store: this.store, budget, modelFamily };
  }

  /** Records the final state, then the status event it maps to (`finish` after the last POST, §6.6). */
  private async finish(status: CheckpointStatus): Promise<WorkflowEnd> {
    const checkpoints = this.checkpoints as CheckpointStream;
    checkpoints.state.status = status;
    await checkpoints.persist();
    const event = STATUS_EVENT_FOR[status];
    if (!event) return { outcome: 'unknown', details: `RPC ended with unknown workflow state: ${status}` };
    await this.store.updateStatus(event, { starting: false });
    return status === 'STOPPED' ? STOPPED : SUCCEEDED;
  }

  private async end(error: unknown): Promise<WorkflowEnd> {
    if (this.stopKind) return this.stopped(this.stopKind);
    if (error instanceof AppError && PASSTHROUGH.has(error.code)) throw error;
    return this.fail(error);
  }

  private async stopped(kind: StopKind): Promise<WorkflowEnd> {
    const status = this.checkpoints?.state.status ?? 'CREATED';
    if (kind === 'client_gone') throw new AppError(ErrorCode.Cancelled, 'RPC cancelled by client');
    if (kind === 'shutdown' || kind === 'expired') {
      throw new AppError(ErrorCode.Unavailable, `workflow execution interrupted: ${status}`);
    }
    if (kind === 'user') await this.record('STOPPED', 'stop');
    return STOPPED;
  }

  /** An unhandled error: a failed `agent` entry, status FAILED and event `drop` (§6.3). */
  private async fail(error: unknown): Promise<WorkflowEnd> {
    const message = error instanceof Error ? error.message : String(error);
    const type = error instanceof AppError ? error.code : error instanceof Error ? error.name : 'Error';
    this.logger.error(
      `Workflow ${this.parts.start.workflowID} failed (correlation id ${this.parts.context.correlationId}): ${type}: ${message}`,
    );
    this.checkpoints?.state.ui_chat_log.push(
      logEntry('agent', `There was an error processing your request: ${message}`, {
        message_id: randomUUID(),
        status: 'failure',
      }),
    );
    await this.record('FAILED', 'drop');
    return { outcome: 'failed', details: `workflow execution failure: ${type}: ${message}` };
  }

  /**
   * Best effort, and bounded: the call ends the same way if GitLab cannot be told, and ends by the deadline
   * if the client does not answer (every action still waiting fails then).
   */
  private async record(status: CheckpointStatus, event: 'stop' | 'drop'): Promise<void> {
    const deadline = setTimeout(
      () => this.parts.channel.close(new AppError(ErrorCode.Unavailable, 'The client did not answer in time')),
      this.parts.bookkeepingDeadlineMs ?? BOOKKEEPING_DEADLINE_MS,
    );
    try {
      if (this.checkpoints) {
        this.checkpoints.state.status = status;
        await this.checkpoints.persist();
      }
      await this.store.updateStatus(event, { starting: false });
    } catch (error) {
      this.logger.warn(`Could not record status ${status}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(deadline);
    }
  }
}
