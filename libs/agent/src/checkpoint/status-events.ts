import { CheckpointStatus } from './workflow-state';

export type StatusEvent =
  | 'start'
  | 'finish'
  | 'drop'
  | 'resume'
  | 'pause'
  | 'stop'
  | 'retry'
  | 'require_input'
  | 'require_plan_approval'
  | 'require_tool_call_approval';

/** Checkpoint status → status event sent once a call ends in it (§6.6). */
export const STATUS_EVENT_FOR: Partial<Record<CheckpointStatus, StatusEvent>> = {
  FINISHED: 'finish',
  FAILED: 'drop',
  STOPPED: 'stop',
  PAUSED: 'pause',
  INPUT_REQUIRED: 'require_input',
  PLAN_APPROVAL_REQUIRED: 'require_plan_approval',
  TOOL_CALL_APPROVAL_REQUIRED: 'require_tool_call_approval',
};
