import { ChatMessage } from '@app/models';
import { TokenBreakdown } from '../contract/contract-types';

/** `newCheckpoint.status` values (agent-platform.md §6.5). */
export type CheckpointStatus =
  | 'CREATED'
  | 'RUNNING'
  | 'PAUSED'
  | 'INPUT_REQUIRED'
  | 'PLAN_APPROVAL_REQUIRED'
  | 'TOOL_CALL_APPROVAL_REQUIRED'
  | 'FINISHED'
  | 'FAILED'
  | 'STOPPED';

export type MessageType = 'user' | 'agent' | 'tool' | 'request' | 'workflow_end';
export type EntryStatus = 'pending' | 'success' | 'failure' | 'timed_out' | 'cancelled' | null;

export interface ToolInfo {
  name: string;
  args: Record<string, unknown>;
  tool_response?: string;
}

/** One `ui_chat_log` entry (§6.5). */
export interface UiChatLogEntry {
  message_type: MessageType;
  message_sub_type: string | null;
  content: string;
  timestamp: string;
  status: EntryStatus;
  correlation_id: string | null;
  tool_info: ToolInfo | null;
  additional_context: unknown[] | null;
  message_id: string;
  component_name?: string;
  subsession_id?: string;
}

export type PlanStepStatus = 'Not Started' | 'In Progress' | 'Completed' | 'Cancelled';

export interface PlanStep {
  id: string;
  description: string;
  status: PlanStepStatus;
}

/**
 * Everything a session needs to continue in a later call; stored as the checkpoint's `channel_values`
 * (§6.6). `conversation_history` and the fields after it are read back only by this server.
 */
export interface WorkflowState {
  status: CheckpointStatus;
  goal: string;
  ui_chat_log: UiChatLogEntry[];
  plan: { steps: PlanStep[] };
  /** Model conversation per agent name. */
  conversation_history: Record<string, ChatMessage[]>;
  /** Tool calls awaiting the user's decision, by the agent that made them. */
  pending_approval?: { agent: string; tool_call_ids: string[] };
  /** Where a multi-stage workflow continues (software_development). */
  stage?: string;
  /** Where a registry or inline flow stands, and its `context` channel. */
  flow?: FlowProgress;
  context_usage: Record<string, TokenBreakdown>;
}

/** A flow run between calls: the component it is at, and what it waits for. */
export interface FlowProgress {
  /** Upstream's `context` channel: goal, project, inputs, and each component's outputs. */
  context: Record<string, unknown>;
  /** The component to run (or waiting for input); `end`/`abort` once the flow is over. */
  at: string;
  /** `human_input`: a HumanInputComponent asked; `agent_input`: an agent asked a clarification question. */
  waiting?: 'human_input' | 'agent_input';
  /** Delegations per sub-agent of supervisors, for sub-session ids. */
  subsessions?: Record<string, number>;
  /** Components whose conversation starts with their prompt's `user` message already. */
  seeded?: string[];
}

export function initialState(goal: string): WorkflowState {
  return { status: 'CREATED', goal, ui_chat_log: [], plan: { steps: [] }, conversation_history: {}, context_usage: {} };
}

export function logEntry(
  type: MessageType,
  content: string,
  fields: Partial<UiChatLogEntry> & { message_id: string },
): UiChatLogEntry {
  return {
    message_type: type,
    message_sub_type: null,
    content,
    timestamp: new Date().toISOString(),
    status: type === 'tool' ? 'success' : null,
    correlation_id: null,
    tool_info: null,
    additional_context: null,
    ...fields,
  };
}
