import { AppError, ErrorCode } from '@app/common';
import { WorkflowRun } from '../workflows/workflow';
import { HumanResponse } from './components/human-input-component';

/** Queue events read before giving up on finding the user's answer. */
const MAX_EVENTS = 20;

/**
 * The user's answer to a flow waiting for input (§6.3, §6.6): the call's `approval`, else its `goal`, else the
 * first answer in the session's events queue (`response`/`message`); a `stop` or `pause` event there wins.
 * Without any, the resume is refused: INVALID_ARGUMENT, and the session keeps waiting.
 */
export async function userResponseOf(run: WorkflowRun): Promise<HumanResponse | 'stop' | 'pause'> {
  const { approval, goal } = run.start;
  if (approval?.approval) return { kind: 'approve' };
  if (approval?.rejection) {
    const message = approval.rejection.message ?? '';
    return message && message !== 'null' ? { kind: 'modify', message } : { kind: 'reject' };
  }
  if (goal) return { kind: 'response', message: goal };
  for (let read = 0; read < MAX_EVENTS; read += 1) {
    const event = await run.store.nextEvent();
    if (!event) break;
    if (event.event_type === 'stop' || event.event_type === 'pause') return event.event_type;
    if ((event.event_type === 'response' || event.event_type === 'message') && event.message) {
      return { kind: 'response', message: event.message };
    }
  }
  throw new AppError(ErrorCode.BadRequest, 'Empty user input: a message is required to resume this workflow.');
}
