import { pythonJson } from '../streaming/python-format';

/** One NDJSON line of `/v2/chat/agent` (http-api.md §3.2); field order is the wire order. */
export type AgentEvent =
  | { type: 'final_answer_delta'; data: { text: string } }
  | { type: 'action'; data: { tool: string; tool_input: string; thought: string } }
  | { type: 'unknown'; data: { text: string } }
  | { type: 'error'; data: { message: string; retryable: boolean } };

/** Python's `json.dumps` spacing, which clients see byte for byte. */
export const toNdjsonLine = (event: AgentEvent): string => `${pythonJson(event)}\n`;

export const errorEvent = (message: string, retryable = false): AgentEvent => ({
  type: 'error',
  data: { message, retryable },
});
