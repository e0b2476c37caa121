/** What the model's ReAct text says so far (http-api.md §3.2). */
export type ReactParse =
  | { kind: 'final_answer'; text: string }
  | { kind: 'action'; tool: string; toolInput: string; thought: string }
  | { kind: 'unknown'; text: string };

// The contract's exact expressions, applied to `<message>Thought: TEXT</message>`.
const FINAL_ANSWER = /Final Answer:\s*([\s\S]*?)\s*<\/message>/;
const ACTION = /Action:\s*([\s\S]*?)\s*Action/;
const ACTION_INPUT = /Action Input:\s*([\s\S]*?)\s*<\/message>/;
const THOUGHT = /<message>Thought:\s*([\s\S]*?)\s*(?:Action|Final Answer):/;

/** Tool names some models spell in CamelCase. */
const TOOL_ALIASES: Record<string, string> = { MergeRequestReader: 'merge_request_reader' };

/** Parses the accumulated model text (the continuation of the `Thought:` prefill). */
export function parseReactOutput(text: string): ReactParse {
  const message = `<message>Thought: ${text.trim()}</message>`;
  const finalAnswer = FINAL_ANSWER.exec(message);
  if (finalAnswer) return { kind: 'final_answer', text: finalAnswer[1] };
  const action = ACTION.exec(message);
  const actionInput = ACTION_INPUT.exec(message);
  if (action && actionInput) {
    return {
      kind: 'action',
      tool: TOOL_ALIASES[action[1]] ?? action[1],
      toolInput: actionInput[1],
      thought: THOUGHT.exec(message)?.[1] ?? '',
    };
  }
  return { kind: 'unknown', text };
}
