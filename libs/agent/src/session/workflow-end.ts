/** How a call ended without an error status; the gRPC edge turns it into the status of §4.4. */
export type WorkflowOutcome = 'not_started' | 'success' | 'stopped' | 'failed' | 'unknown';

export interface WorkflowEnd {
  outcome: WorkflowOutcome;
  details: string;
}

export const NOT_STARTED: WorkflowEnd = { outcome: 'not_started', details: '' };
export const SUCCEEDED: WorkflowEnd = { outcome: 'success', details: 'workflow execution success' };
export const STOPPED: WorkflowEnd = { outcome: 'stopped', details: 'workflow execution stopped' };
