import { ChatMessage, ToolCall } from '@app/models';
import { logEntry } from '../checkpoint/workflow-state';
import { redactSecrets, redactSecretsDeep } from '../security/secret-redaction';
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

/** Which tool entries go into `ui_chat_log` (flow components choose with `ui_log_events`); default: all. */
export interface ToolLogOptions {
  componentName?: string;
  success: boolean;
  failure: boolean;
  /** Server-side tools (plan, handover, final answer). */
  internal: boolean;
}

const LOG_ALL: ToolLogOptions = { success: true, failure: true, internal: true };

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
 * error results for the model; anything else (cancellation, oversize action) propagates. Secrets in tool
 * output are redacted before the model, the UI or a checkpoint sees them (§6.5).
 */
export async function runToolCalls(
  calls: readonly ToolCall[],
  tools: ReadonlyMap<string, Tool>,
  context: ToolContext,
  rejection?: Rejection,
  shown: ToolLogOptions = LOG_ALL,
): Promise<ToolOutcome[]> {
  const outcomes = await Promise.all(calls.map((call) => runOne(call, tools.get(call.name), context, rejection)));
  const log = context.state.ui_chat_log;
  for (const { call, tool, message, failed } of outcomes) {
    // A pending entry for the call (a flow's `on_tool_call_input`) always gets its result.
    const pending = log.findIndex((entry) => entry.message_id === call.id && entry.status === 'pending');
    const visible = tool?.internal ? shown.internal : failed ? shown.failure : shown.success;
    if (!visible && pending === -1) continue;
    const entry = logEntry('tool', `Using ${call.name}`, {
      message_id: call.id,
      status: failed ? 'failure' : 'success',
      component_name: shown.componentName,
      tool_info: { name: call.name, args: redactSecretsDeep(safeArgs(call)), tool_response: message.content },
    });
    if (pending === -1) log.push(entry);
    else log[pending] = entry;
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
    message: { role: 'tool', content: redactSecrets(content), toolCallId: call.id },
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
