import { CheckpointStatus } from '../checkpoint/workflow-state';
import { CheckpointStream } from '../checkpoint/checkpoint-stream';
import { StartWorkflowRequest } from '../contract/contract-types';
import { WorkflowRecord } from '../gitlab/workflow-record';
import { WorkflowStore } from '../gitlab/workflow-store';
import { AgentLoop } from '../loop/agent-loop';
import { StepBudget } from '../loop/step-budget';
import { Tool } from '../tools/tool';

/** How this call enters the session (§4.5). */
export type EntryMode = 'start' | 'resume' | 'retry';

/** Everything a workflow needs for one call. */
export interface WorkflowRun {
  start: StartWorkflowRequest;
  record: WorkflowRecord;
  entry: EntryMode;
  checkpoints: CheckpointStream;
  loop: AgentLoop;
  /** The tools of the workflow's privileges (minus denied ones) and the MCP tools. */
  tools: Tool[];
  /** GitLab's record of the session: status events, checkpoints, the human-input events (§6.6). */
  store: WorkflowStore;
  /** The 600 graph steps of a run (§6.3), shared by every agent and flow component. */
  budget: StepBudget;
  /** The model family of the session (`name` of the model metadata, e.g. `mistral`); picks prompt variants. */
  modelFamily?: string;
}

export interface Workflow {
  /** Name billing and logs use (`featureQualifiedName`). */
  readonly name: string;
  /** Runs until the workflow ends or waits for the user; returns the status it is left in. */
  run(run: WorkflowRun): Promise<CheckpointStatus>;
}
