import { once } from 'node:events';
import { ServerDuplexStream, status as GrpcStatus } from '@grpc/grpc-js';
import { Observable } from 'rxjs';
import { Action, WorkflowCall, WorkflowEnd, WorkflowOutcome } from '@app/agent';

const STATUS_OF: Record<Exclude<WorkflowOutcome, 'not_started'>, GrpcStatus> = {
  success: GrpcStatus.OK,
  stopped: GrpcStatus.OK,
  failed: GrpcStatus.INTERNAL,
  unknown: GrpcStatus.UNKNOWN,
};

/**
 * A workflow call as the Observable a Nest stream handler returns: actions are pulled only while the
 * transport can take them (back-pressure), an unsubscribe (client cancel) cancels the workflow, error ends
 * leave as `AppError`s for the RPC filter. A client that stops reading holds the call at most until its
 * duration limit: then the remaining actions are dropped and the call ends.
 */
export function workflowCallStream(
  open: () => Promise<WorkflowCall>,
  grpcCall: ServerDuplexStream<unknown, Action>,
): Observable<Action> {
  return new Observable<Action>((subscriber) => {
    const teardown = new AbortController();
    let workflowCall: WorkflowCall | undefined;
    const pump = async () => {
      workflowCall = await open();
      workflowCall.end.catch(() => undefined);
      if (teardown.signal.aborted) workflowCall.cancel();
      const waitSignal = AbortSignal.any([teardown.signal, workflowCall.deadline]);
      for await (const action of workflowCall.actions) {
        subscriber.next(action);
        if (!grpcCall.writableNeedDrain) continue;
        try {
          await once(grpcCall, 'drain', { signal: waitSignal });
        } catch (error) {
          if (!workflowCall.deadline.aborted) throw error;
          break;
        }
      }
      endCall(grpcCall, await workflowCall.end);
      subscriber.complete();
    };
    pump().catch((error: unknown) => subscriber.error(error));
    return () => {
      teardown.abort();
      workflowCall?.cancel();
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
  grpcCall.emit('error', Object.assign(new Error(end.details), { code: STATUS_OF[end.outcome], details: end.details }));
}
