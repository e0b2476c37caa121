import { ChatMessage, ToolCall } from '@app/models';
import { logEntry } from '../checkpoint/workflow-state';
import { Tool, ToolArgs, ToolContext } from '../tools/tool';
import { ToolError } from '../tools/tool-error';

export interface ToolOutcome {
  call: ToolCall;
  tool?: Tool;
  message: ChatMessage;
  failed: boolean;
}

export interface Rejection {
  toolCallIds: ReadonlySet<string>;
}

/** The arguments object of a call; invalid JSON is the model's mistake, reported back to it. */
export function argsOf(call: ToolCall): ToolArgs {
  let args: unknown;
  try {
    args = JSON.parse(call.arguments || '{}');
  } catch {
    throw new ToolError(`Invalid JSON in the arguments of ${call.name}`);
  }
  if (!args || typeof args !== 'object' || Array.isArray(args)) throw new ToolError('Tool arguments must be an object');
  return args as ToolArgs;
}

/**
 * Runs one batch of tool calls in parallel, each becoming its action(s); answers are routed by request id,
 * so results land on their own call whatever order the client answers in (§4.2). Tool failures become
 * error results for the model; anything else (cancellation, oversize action) propagates.
 */
export async function runToolCalls(
  calls: readonly ToolCall[],
  tools: ReadonlyMap<string, Tool>,
  context: ToolContext,
  rejection?: Rejection,
): Promise<ToolOutcome[]> {
  const outcomes = await Promise.all(calls.map((call) => runOne(call, tools.get(call.name), context, rejection)));
  for (const { call, message, failed } of outcomes) {
    context.state.ui_chat_log.push(
      logEntry('tool', `Using ${call.name}`, {
        message_id: call.id,
        status: failed ? 'failure' : 'success',
        tool_info: { name: call.name, args: safeArgs(call), tool_response: message.content },
      }),
    );
  }
  return outcomes;
}

async function runOne(
  call: ToolCall,
  tool: Tool | undefined,
  context: ToolContext,
  rejection?: Rejection,
): Promise<ToolOutcome> {
  const result = (content: string, failed: boolean): ToolOutcome => ({
    call,
    tool,
    message: { role: 'tool', content, toolCallId: call.id },
    failed,
  });
  if (rejection?.toolCallIds.has(call.id)) return result('Tool call rejected by the user.', true);
  try {
    if (!tool) throw new ToolError(`Tool '${call.name}' is not available`);
    return result(await tool.run(argsOf(call), context), false);
  } catch (error) {
    if (error instanceof ToolError) return result(`Error: ${error.message}`, true);
    throw error;
  }
}

function safeArgs(call: ToolCall): ToolArgs {
  try {
    return argsOf(call);
  } catch {
    return {};
  }
}
