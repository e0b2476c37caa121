import { UiChatLogEntry } from './workflow-state';

/** The `ui_chat_log` of one `newCheckpoint`, as JSON text, and what it makes the client know once sent. */
export interface UiLogPart {
  json: string;
  /** Call when the checkpoint has gone out: later parts are computed against it. */
  sent(): void;
}

/**
 * `ui_chat_log` for `newCheckpoint` (§6.5): the whole log, or with the client's `incremental_streaming` only
 * the entries from the first new or changed one on, which the client merges by `message_id`. The base is
 * the last checkpoint the transport actually took, so a queued checkpoint replaced by a newer one loses
 * nothing.
 */
export class UiLogStream {
  /** `message_id` → entry JSON as the client last received it. */
  private known = new Map<string, string>();

  constructor(private readonly incremental: boolean) {}

  part(log: readonly UiChatLogEntry[]): UiLogPart {
    const texts = log.map((entry) => JSON.stringify(entry));
    if (!this.incremental) return { json: `[${texts.join(',')}]`, sent: () => undefined };
    const first = log.findIndex((entry, index) => this.known.get(entry.message_id) !== texts[index]);
    const from = first === -1 ? log.length : first;
    const snapshot = new Map(log.map((entry, index) => [entry.message_id, texts[index]]));
    return { json: `[${texts.slice(from).join(',')}]`, sent: () => (this.known = snapshot) };
  }
}
