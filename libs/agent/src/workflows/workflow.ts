import { CheckpointStatus } from '../checkpoint/workflow-state';
import { CheckpointStream } from '../checkpoint/checkpoint-stream';
import { StartWorkflowRequest } from '../contract/contract-types';
import { WorkflowRecord } from '../gitlab/workflow-record';
import { AgentLoop } from '../loop/agent-loop';
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
}

export interface Workflow {
  /** Name billing and logs use (`featureQualifiedName`). */
  readonly name: string;
  /** Runs until the workflow ends or waits for the user; returns the status it is left in. */
  run(run: WorkflowRun): Promise<CheckpointStatus>;
}
