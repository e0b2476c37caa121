import { deflateSync } from 'node:zlib';

/** How checkpoints are POSTed (§6.6 `checkpoint_strategy`). */
export type CheckpointWriteMode = 'full' | 'incremental' | 'incremental_only';

/**
 * Plain `checkpoint` unless GitLab advertises incremental checkpoints (server capabilities
 * `incremental_checkpoints` / `incremental_checkpoints_only`, which Workhorse appends to the client's, and the
 * workflow's `incrementalCheckpointsEnabled` is not false): every Rails accepts the plain form (§6.6).
 */
export function writeModeOf(
  capabilities: ReadonlySet<string>,
  enabledByGitLab: boolean | undefined,
): CheckpointWriteMode {
  if (enabledByGitLab === false) return 'full';
  if (capabilities.has('incremental_checkpoints_only')) return 'incremental_only';
  return capabilities.has('incremental_checkpoints') ? 'incremental' : 'full';
}

interface ChannelBlob {
  channel: string;
  version: string;
  data: string;
  write_type: 'json';
  /** `conversation`: the values were appended; `compaction`: they replace the channel. */
  step_action: 'conversation' | 'compaction';
}

type Values = Record<string, unknown>;
const text = (value: unknown) => JSON.stringify(value);
const compressed = (value: unknown) => deflateSync(Buffer.from(text(value), 'utf8')).toString('base64');

/**
 * The body of a checkpoint POST: `checkpoint` as JSON in `full` mode; otherwise `compressed_checkpoint` (base64
 * of zlib of the JSON) plus `channel_blobs` holding only what changed since the previous write (appended tails
 * of lists and per-key lists, whole values where something shrank), and `current_thread`, which moves on at
 * every rewrite.
 */
export class CheckpointWriter {
  private previous: Values;
  private currentThread = 0;

  constructor(
    readonly mode: CheckpointWriteMode,
    previousValues: Values = {},
  ) {
    this.previous = JSON.parse(text(previousValues)) as Values;
  }

  body(checkpoint: { channel_values: object }, step: number): Values {
    if (this.mode === 'full') return { checkpoint };
    const current = JSON.parse(text(checkpoint.channel_values)) as Values;
    const blobs: ChannelBlob[] = [];
    let rewritten = false;
    for (const [channel, value] of Object.entries(current)) {
      if (value === null || typeof value !== 'object') continue;
      const delta = deltaOf(this.previous[channel], value);
      if (!delta) continue;
      if (delta.step_action === 'compaction' && this.previous[channel] !== undefined) rewritten = true;
      blobs.push({ channel, version: String(step), data: compressed(delta.values), write_type: 'json', ...delta });
    }
    if (rewritten) this.currentThread += 1;
    this.previous = current;
    return { compressed_checkpoint: compressed(checkpoint), channel_blobs: blobs, current_thread: this.currentThread };
  }
}

function deltaOf(
  previous: unknown,
  current: object,
): { values: unknown; step_action: ChannelBlob['step_action'] } | undefined {
  if (Array.isArray(current)) {
    if (!Array.isArray(previous)) return { values: current, step_action: 'compaction' };
    return listDelta(previous, current);
  }
  if (!previous || typeof previous !== 'object' || Array.isArray(previous)) {
    return { values: current, step_action: 'compaction' };
  }
  const before = previous as Values;
  const changed: Values = {};
  for (const [key, value] of Object.entries(current as Values)) {
    if (Array.isArray(value) && Array.isArray(before[key])) {
      const delta = listDelta(before[key] as unknown[], value);
      if (delta?.step_action === 'compaction') return { values: current, step_action: 'compaction' };
      if (delta) changed[key] = delta.values;
    } else if (text(value) !== text(before[key])) {
      changed[key] = value;
    }
  }
  if (Object.keys(before).some((key) => !(key in (current as Values))))
    return { values: current, step_action: 'compaction' };
  return Object.keys(changed).length > 0 ? { values: changed, step_action: 'conversation' } : undefined;
}

function listDelta(
  previous: unknown[],
  current: unknown[],
): { values: unknown; step_action: ChannelBlob['step_action'] } | undefined {
  const prefixKept =
    current.length >= previous.length && previous.every((item, index) => text(item) === text(current[index]));
  if (!prefixKept) return { values: current, step_action: 'compaction' };
  return current.length > previous.length
    ? { values: current.slice(previous.length), step_action: 'conversation' }
    : undefined;
}
