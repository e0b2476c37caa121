import { once } from 'node:events';
import { ServerDuplexStream, status as GrpcStatus } from '@grpc/grpc-js';
import { Observable } from 'rxjs';
import { Action, WorkflowCall, WorkflowEnd, WorkflowOutcome } from '@app/agent';
import { grpcStatusOf, WorkflowCallTracker } from './agent-platform-metrics';

const STATUS_OF: Record<Exclude<WorkflowOutcome, 'not_started'>, GrpcStatus> = {
  success: GrpcStatus.OK,
  stopped: GrpcStatus.OK,
  failed: GrpcStatus.INTERNAL,
  unknown: GrpcStatus.UNKNOWN,
};

/** Sent when the shutdown grace period ends first: Workhorse retries UNAVAILABLE, not CANCELLED (§1, §4.4). */
export const CUT_DETAILS = 'Server is shutting down: workflow execution interrupted';

export interface WorkflowCallOptions {
  /** Aborted when the shutdown grace period is over: the call ends at once with UNAVAILABLE. */
  cut: AbortSignal;
  tracker: WorkflowCallTracker;
}

/**
 * A workflow call as the Observable a Nest stream handler returns: actions are pulled only while the
 * transport can take them (back-pressure), an unsubscribe (client cancel) cancels the workflow, error ends
 * leave as `AppError`s for the RPC filter. A client that stops reading holds the call at most until its
 * duration limit: then the remaining actions are dropped and the call ends.
 */
export function workflowCallStream(
  open: () => Promise<WorkflowCall>,
  grpcCall: ServerDuplexStream<unknown, Action>,
  { cut, tracker }: WorkflowCallOptions,
): Observable<Action> {
  return new Observable<Action>((subscriber) => {
    const teardown = new AbortController();
    let workflowCall: WorkflowCall | undefined;
    let ended = false;
    const pump = async () => {
      workflowCall = await open();
      tracker.started();
      workflowCall.end.catch(() => undefined);
      if (teardown.signal.aborted) workflowCall.cancel();
      const waitSignal = AbortSignal.any([teardown.signal, workflowCall.deadline]);
      for await (const action of workflowCall.actions) {
        if (ended) return;
        subscriber.next(action);
        tracker.sent(action);
        if (!grpcCall.writableNeedDrain) continue;
        try {
          await once(grpcCall, 'drain', { signal: waitSignal });
        } catch (error) {
          if (!workflowCall.deadline.aborted) throw error;
          break;
        }
      }
      const end = await workflowCall.end;
      if (ended) return;
      ended = true;
      tracker.end(end.outcome === 'not_started' ? GrpcStatus.OK : STATUS_OF[end.outcome]);
      endCall(grpcCall, end);
      subscriber.complete();
    };
    const onCut = () => {
      if (ended) return;
      ended = true;
      tracker.end(GrpcStatus.UNAVAILABLE);
      endWith(grpcCall, GrpcStatus.UNAVAILABLE, CUT_DETAILS);
      subscriber.complete();
      workflowCall?.cancel();
    };
    if (cut.aborted) onCut();
    else cut.addEventListener('abort', onCut, { once: true });
    pump().catch((error: unknown) => {
      if (ended) return;
      ended = true;
      tracker.end(grpcStatusOf(error));
      subscriber.error(error);
    });
    return () => {
      cut.removeEventListener('abort', onCut);
      teardown.abort();
      workflowCall?.cancel();
      // Unsubscribed before any end: the client cancelled.
      tracker.end(GrpcStatus.CANCELLED);
    };
  });
}

/**
 * OK with details ("workflow execution success", §4.4) and the INTERNAL/UNKNOWN workflow ends are not
 * errors of the gateway, so they bypass the RPC filter; grpc-js takes a status other than the default
 * `OK "OK"` only through the call's error event.
 */
function endCall(grpcCall: ServerDuplexStream<unknown, Action>, end: WorkflowEnd): void {
  if (end.outcome === 'not_started') return;
  endWith(grpcCall, STATUS_OF[end.outcome], end.details);
}

function endWith(grpcCall: ServerDuplexStream<unknown, Action>, code: GrpcStatus, details: string): void {
  grpcCall.emit('error', Object.assign(new Error(details), { code, details }));
}
