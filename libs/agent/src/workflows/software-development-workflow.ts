import { randomUUID } from 'node:crypto';
import { CheckpointStatus, logEntry, WorkflowState } from '../checkpoint/workflow-state';
import { AgentOutcome, AgentSpec, RejectionDecision } from '../loop/agent-loop';
import { addUserMessage, requireUserInput, takeApprovalDecision } from './conversation';
import { contextBuilderAgent, executorAgent, plannerAgent } from './software-development-agents';
import { Workflow, WorkflowRun } from './workflow';

type Stage = 'context' | 'planning' | 'plan_approval' | 'execution';

const AGENTS: Record<Exclude<Stage, 'plan_approval'>, (run: WorkflowRun) => AgentSpec> = {
  context: contextBuilderAgent,
  planning: plannerAgent,
  execution: executorAgent,
};

/**
 * `software_development` (§6.1): context builder → planner → plan approval (when the workflow lets the
 * agent ask the user) → executor → handover. The stage is kept in the checkpoint so a later call resumes it.
 */
export class SoftwareDevelopmentWorkflow implements Workflow {
  readonly name = 'software_development';

  async run(run: WorkflowRun): Promise<CheckpointStatus> {
    const state = run.checkpoints.state;
    let rejection = this.resumeInput(run, state);
    state.status = 'RUNNING';
    run.checkpoints.publish();
    for (;;) {
      const stage = (state.stage ?? 'context') as Stage;
      if (stage === 'plan_approval') return 'PLAN_APPROVAL_REQUIRED';
      const outcome = await run.loop.run(AGENTS[stage](run), rejection);
      rejection = undefined;
      const status = this.advance(run, state, stage, outcome);
      if (status) return status;
    }
  }

  /** Applies the new call's input to the stage that waits for it; returns a rejection for pending tools. */
  private resumeInput(run: WorkflowRun, state: WorkflowState): RejectionDecision | undefined {
    if (run.entry === 'start') {
      state.stage = 'context';
      addUserMessage(run, 'context_builder', run.start.goal);
      return undefined;
    }
    const decision = takeApprovalDecision(run);
    if (decision.pending) return decision.rejection;
    if (state.status === 'INPUT_REQUIRED') addUserMessage(run, this.agentOf(state), requireUserInput(run));
    if (state.status === 'PLAN_APPROVAL_REQUIRED') {
      const feedback = run.start.approval?.rejection?.message || run.start.goal;
      state.stage = feedback ? 'planning' : 'execution';
      if (feedback) addUserMessage(run, 'planner', feedback);
      else this.seedExecutor(state);
    }
    return undefined;
  }

  private advance(
    run: WorkflowRun,
    state: WorkflowState,
    stage: Stage,
    outcome: AgentOutcome,
  ): CheckpointStatus | undefined {
    if (outcome.kind === 'approval') return 'TOOL_CALL_APPROVAL_REQUIRED';
    if (outcome.kind === 'input') {
      state.ui_chat_log.push(logEntry('request', outcome.question, { message_id: randomUUID() }));
      return 'INPUT_REQUIRED';
    }
    const summary = outcome.kind === 'handover' ? outcome.summary : outcome.text;
    if (stage === 'context') {
      state.stage = 'planning';
      state.conversation_history.planner = [{ role: 'user', content: `Goal: ${state.goal}\n\nContext:\n${summary}` }];
      return undefined;
    }
    if (stage === 'planning') {
      state.stage = run.record.allowAgentToRequestUser ? 'plan_approval' : 'execution';
      if (state.stage === 'execution') this.seedExecutor(state);
      return undefined;
    }
    state.ui_chat_log.push(logEntry('agent', summary, { message_id: randomUUID() }));
    return 'FINISHED';
  }

  private seedExecutor(state: WorkflowState): void {
    const plan = state.plan.steps.map((step) => `- ${step.id}: ${step.description}`).join('\n');
    state.conversation_history.executor = [{ role: 'user', content: `Goal: ${state.goal}\n\nPlan:\n${plan}` }];
  }

  private agentOf(state: WorkflowState): string {
    return state.stage === 'execution' ? 'executor' : state.stage === 'planning' ? 'planner' : 'context_builder';
  }
}
