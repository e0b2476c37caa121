import { AppError, ErrorCode } from '@app/common';
import { StatusEvent } from '../checkpoint/status-events';
import { initialState, WorkflowState } from '../checkpoint/workflow-state';
import { WorkflowRecord } from '../gitlab/workflow-record';
import { EntryMode } from '../workflows/workflow';

const RESUMABLE = new Set(['input_required', 'plan_approval_required', 'tool_call_approval_required']);

export interface Entry {
  mode: EntryMode;
  /** Status event written before the run (§6.2 step 3). */
  event: StatusEvent;
}

/** The entry mode of §4.5 from the fetched status and whether a checkpoint exists. */
export function entryOf(record: WorkflowRecord, checkpoint: Record<string, unknown> | undefined): Entry {
  if (record.archived) {
    throw new AppError(ErrorCode.BadRequest, 'Archived workflow can not be executed. Please create a new workflow.');
  }
  if (record.stalled) {
    throw new AppError(ErrorCode.BadRequest, 'Stalled workflow can not be executed. Please create a new workflow.');
  }
  if (record.status === 'created') {
    if (checkpoint) throw new Error("Workflow status is 'created' but a checkpoint exists");
    return { mode: 'start', event: 'start' };
  }
  if (RESUMABLE.has(record.status)) {
    if (!checkpoint) throw new Error(`Workflow status is '${record.status}' but no checkpoint exists`);
    return { mode: 'resume', event: 'resume' };
  }
  return { mode: 'retry', event: 'retry' };
}

/** `resume_checkpoint_ts` must name the checkpoint the session continues from (§4.5). */
export function assertResumePoint(
  requested: string | null | undefined,
  checkpoint: Record<string, unknown> | undefined,
): void {
  if (!requested || checkpoint?.id === requested) return;
  throw new AppError(ErrorCode.BadRequest, `Checkpoint ${requested} was not found in this session.`);
}

/** The state a call continues from: the stored checkpoint's `channel_values`, or a fresh one. */
export function stateOf(checkpoint: Record<string, unknown> | undefined, goal: string): WorkflowState {
  const values = checkpoint?.channel_values as Partial<WorkflowState> | undefined;
  const fresh = initialState(goal);
  if (!values) return fresh;
  return {
    ...fresh,
    ...values,
    goal: values.goal || goal,
    ui_chat_log: values.ui_chat_log ?? [],
    plan: values.plan ?? { steps: [] },
    conversation_history: values.conversation_history ?? {},
    context_usage: values.context_usage ?? {},
  };
}
