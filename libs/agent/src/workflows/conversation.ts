import { randomUUID } from 'node:crypto';
import { AppError, ErrorCode } from '@app/common';
import { logEntry } from '../checkpoint/workflow-state';
import { AgentOutcome, RejectionDecision } from '../loop/agent-loop';
import { CheckpointStatus } from '../checkpoint/workflow-state';
import { WorkflowRun } from './workflow';

/** The user's message: a `user` log entry, and the agent's next prompt with the additional context. */
export function addUserMessage(run: WorkflowRun, agent: string, text: string): void {
  const context = run.start.additional_context ?? [];
  const blocks = context.map(
    (item) =>
      `<additional_context category="${item.category}" id="${item.id ?? ''}">\n${item.content ?? ''}\n</additional_context>`,
  );
  const state = run.checkpoints.state;
  (state.conversation_history[agent] ??= []).push({ role: 'user', content: [text, ...blocks].join('\n\n') });
  state.ui_chat_log.push(
    logEntry('user', text, { message_id: randomUUID(), additional_context: context.length > 0 ? context : null }),
  );
}

/**
 * The decision on tool calls left waiting by the previous call (§6.3): `approval` runs them, `rejection`
 * (or a plain message) tells the model; a message of "" or "null" is no message.
 */
export function takeApprovalDecision(run: WorkflowRun): { pending: boolean; rejection?: RejectionDecision } {
  const state = run.checkpoints.state;
  const pending = state.pending_approval;
  if (!pending) return { pending: false };
  const { approval, goal } = run.start;
  const toolCallIds = new Set(pending.tool_call_ids);
  if (approval?.approval) {
    delete state.pending_approval;
    return { pending: true };
  }
  const message = approval?.rejection ? (approval.rejection.message ?? '') : goal;
  if (!approval?.rejection && !goal) {
    throw new AppError(
      ErrorCode.BadRequest,
      'A decision on the pending tool calls is required to resume this workflow.',
    );
  }
  delete state.pending_approval;
  const feedback = message && message !== 'null' ? message : undefined;
  return { pending: true, rejection: { toolCallIds, feedback } };
}

/** A resume that needs the user's words (§6.3) refuses an empty message. */
export function requireUserInput(run: WorkflowRun): string {
  if (!run.start.goal) {
    throw new AppError(ErrorCode.BadRequest, 'Empty user input: a message is required to resume this workflow.');
  }
  return run.start.goal;
}

/** The checkpoint status an agent outcome leaves a chat-style workflow in. */
export function statusAfter(outcome: AgentOutcome): CheckpointStatus {
  if (outcome.kind === 'approval') return 'TOOL_CALL_APPROVAL_REQUIRED';
  return outcome.kind === 'input' ? 'INPUT_REQUIRED' : 'FINISHED';
}
