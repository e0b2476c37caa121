import { CheckpointStatus } from '../checkpoint/workflow-state';
import { AgentSpec } from '../loop/agent-loop';
import { addUserMessage, requireUserInput, statusAfter, takeApprovalDecision } from './conversation';
import { projectContext } from './project-context';
import { Workflow, WorkflowRun } from './workflow';

const CHAT_PROMPT = [
  'You are GitLab Duo Chat, an agentic assistant that helps developers with their code and their GitLab project.',
  'Use the tools to look at files and GitLab data instead of guessing. Answer concisely in Markdown.',
].join('\n');

/** Builds the one agent of a chat-style workflow for a call. */
export type ChatAgentFactory = (run: WorkflowRun) => AgentSpec;

const duoChatAgent: ChatAgentFactory = (run) => ({
  name: 'chat',
  systemPrompt: `${CHAT_PROMPT}\n\n${projectContext(run.record)}`,
  tools: run.tools,
  streamText: true,
});

/** `chat` (§6.1): one agent ⇄ tools loop with streamed text; also the frame of inline `chat-partial` flows. */
export class ChatWorkflow implements Workflow {
  constructor(
    readonly name = 'chat',
    private readonly agentFor: ChatAgentFactory = duoChatAgent,
  ) {}

  async run(run: WorkflowRun): Promise<CheckpointStatus> {
    const state = run.checkpoints.state;
    const agent = this.agentFor(run);
    const decision = takeApprovalDecision(run);
    if (!decision.pending) {
      const text = state.status === 'INPUT_REQUIRED' ? requireUserInput(run) : run.start.goal;
      if (text) addUserMessage(run, agent.name, text);
    }
    state.status = 'RUNNING';
    run.checkpoints.publish();
    return statusAfter(await run.loop.run(agent, decision.rejection));
  }
}
