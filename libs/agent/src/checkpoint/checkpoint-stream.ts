import { WorkflowStore } from '../gitlab/workflow-store';
import { ActionChannel } from '../session/action-channel';
import { CheckpointWriter } from './checkpoint-writer';
import { UiLogStream } from './ui-log-stream';
import { uuidV7 } from './uuid-v7';
import { WorkflowState } from './workflow-state';

export interface CheckpointOptions {
  parentTs?: string;
  modelMetadataJson?: string;
  /** The client's `incremental_streaming`: `newCheckpoint` carries only new and changed log entries. */
  incrementalStreaming?: boolean;
  /** How checkpoints are stored in GitLab; default: plain `checkpoint`. */
  writer?: CheckpointWriter;
}

/** Streamed model text goes out at most once per 50 ms (§4.6 step 4). */
const STREAM_INTERVAL_MS = 50;

/**
 * The run's state as the client and GitLab see it: `newCheckpoint` actions for the UI (§6.5) and
 * checkpoint POSTs with time-ordered ids, one per graph step (§6.6).
 */
export class CheckpointStream {
  private lastPublishedAt = 0;
  private timer?: NodeJS.Timeout;
  private step = 0;
  private readonly lateFailure = new AbortController();
  private readonly uiLog: UiLogStream;
  private readonly writer: CheckpointWriter;

  constructor(
    private readonly channel: ActionChannel,
    private readonly store: WorkflowStore,
    readonly state: WorkflowState,
    private readonly extras: CheckpointOptions,
  ) {
    this.uiLog = new UiLogStream(extras.incrementalStreaming === true);
    this.writer = extras.writer ?? new CheckpointWriter('full');
  }

  /**
   * Aborted, with the error as reason, when a throttled publish failed on its timer (an action over 4 MiB,
   * §4.2): the run must stop as if `publish` had thrown, and every later publish throws that error.
   */
  get failed(): AbortSignal {
    return this.lateFailure.signal;
  }

  publish(): void {
    this.lateFailure.signal.throwIfAborted();
    clearTimeout(this.timer);
    this.timer = undefined;
    this.lastPublishedAt = Date.now();
    const { ui_chat_log, plan, status, goal, context_usage } = this.state;
    const log = this.uiLog.part(ui_chat_log);
    const checkpoint = `{"channel_values":{"ui_chat_log":${log.json},"plan":${JSON.stringify(plan)}}}`;
    this.channel.checkpoint({ status, checkpoint, goal, errors: [], agent_context_usage: context_usage }, log.sent);
  }

  publishThrottled(): void {
    this.lateFailure.signal.throwIfAborted();
    if (this.timer) return;
    const wait = this.lastPublishedAt + STREAM_INTERVAL_MS - Date.now();
    if (wait <= 0) return this.publish();
    this.timer = setTimeout(() => this.publishLate(), wait);
  }

  /** Publishes the state and records it in GitLab as the next checkpoint. */
  async persist(): Promise<void> {
    this.publish();
    const threadTs = uuidV7();
    const checkpoint = {
      v: 1,
      id: threadTs,
      ts: new Date().toISOString(),
      channel_values: this.state,
      channel_versions: {},
      versions_seen: {},
    };
    await this.store.saveCheckpoint(
      {
        thread_ts: threadTs,
        parent_ts: this.extras.parentTs ?? null,
        ...this.writer.body(checkpoint, this.step),
        metadata: { source: 'loop', step: this.step, writes: null, parents: {} },
        ...(this.extras.modelMetadataJson ? { model_metadata_json: this.extras.modelMetadataJson } : {}),
      },
      this.writer.mode,
    );
    this.step += 1;
    this.extras.parentTs = threadTs;
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  /** A throw inside a timer would be uncaught and end the process; the run gets the error instead. */
  private publishLate(): void {
    try {
      this.publish();
    } catch (error) {
      this.lateFailure.abort(error);
    }
  }
}
