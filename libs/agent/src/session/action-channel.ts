import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { AppError, ErrorCode, Traces } from '@app/common';
import { Action, ActionBody, ActionResponse, NewCheckpoint } from '../contract/contract-types';
import { ActionCodec } from './action-codec';
import { ActionOutbox } from './action-outbox';

interface Pending {
  http: boolean;
  resolve(response: ActionResponse): void;
  reject(error: unknown): void;
}

/**
 * Sends actions with fresh request ids and routes each answer to the action that waits for it
 * (agent-platform.md §4.2, §4.3). Any number of actions may be outstanding.
 */
export class ActionChannel {
  private readonly logger = new Logger('agent.actions');
  private readonly pending = new Map<string, Pending>();
  private closedBy?: unknown;

  constructor(
    private readonly outbox: ActionOutbox,
    private readonly codec: ActionCodec,
  ) {}

  /** Sends the action and resolves with the client's answer; `timeoutMs` fails only this action. */
  request(body: ActionBody, timeoutMs?: number): Promise<ActionResponse> {
    if (this.closedBy) return Promise.reject(this.closedBy);
    const action = this.checked({ requestID: randomUUID(), ...body });
    const span = Traces.enabled ? actionSpan(action) : undefined;
    return new Promise<ActionResponse>((resolve, reject) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => this.expire(action.requestID), timeoutMs);
      const settle = () => {
        clearTimeout(timer);
        this.pending.delete(action.requestID);
      };
      this.pending.set(action.requestID, {
        http: body.runHTTPRequest !== undefined,
        resolve: (response) => (settle(), Traces.end(span), resolve(response)),
        reject: (error) => (settle(), Traces.end(span, error), reject(error)),
      });
      this.outbox.push(action);
    });
  }

  /**
   * Fire and forget: no answer is expected, and a newer checkpoint replaces a queued one (§4.2). `onSent` runs
   * when the transport takes it.
   */
  checkpoint(checkpoint: NewCheckpoint, onSent?: () => void): void {
    if (this.closedBy) return;
    this.outbox.pushCheckpoint(this.checked({ requestID: randomUUID(), newCheckpoint: checkpoint }), onSent);
  }

  /** Routes one `actionResponse`; unknown ids are dropped, empty ids use the legacy rule of §4.3. */
  deliver(response: ActionResponse): void {
    const id = response.requestID || this.legacyTarget(response);
    const pending = id ? this.pending.get(id) : undefined;
    if (!pending) {
      this.logger.debug(`Dropped an action response for unknown request id '${response.requestID}'`);
      return;
    }
    pending.resolve(response);
  }

  private legacyTarget(response: ActionResponse): string | undefined {
    const wantsHttp = Boolean(response.httpResponse);
    for (const [id, pending] of this.pending) {
      if (pending.http === wantsHttp) return id;
    }
    return response.plainTextResponse || wantsHttp ? undefined : this.pending.keys().next().value;
  }

  private checked(action: Action): Action {
    if (this.codec.exceedsMessageLimit(action)) {
      throw new AppError(ErrorCode.ResourceExhausted, 'Outgoing message too large.');
    }
    return action;
  }

  private expire(requestID: string): void {
    this.pending.get(requestID)?.reject(new AppError(ErrorCode.Internal, 'Timed out waiting for the action response'));
  }

  /** Fails every waiting action (the workflow was stopped); the channel stays usable. */
  failPending(reason: unknown): void {
    for (const pending of [...this.pending.values()]) pending.reject(reason);
  }

  /** The client is gone: fails every waiting action and refuses new ones. */
  close(reason: unknown): void {
    this.closedBy = reason;
    this.failPending(reason);
    this.outbox.close();
  }
}

/** The round trip of one action to the executor and back (kind only: arguments may hold code). */
function actionSpan(action: Action) {
  const kind = Object.keys(action).find((key) => key !== 'requestID') ?? 'unknown';
  return Traces.start(`agent.action ${kind}`, { 'aigw.action.kind': kind, 'aigw.action.request_id': action.requestID });
}
