/** A chat turn as the Messages-style APIs (Anthropic, Bedrock Converse) shape it: a role and content blocks. */
interface Turn<Block> {
  role?: string;
  content?: Block[];
}

/**
 * The APIs that take content blocks want user and assistant turns to alternate: consecutive turns of one role
 * become one, their blocks in order. The turns given are left as they are.
 */
export function mergeTurns<Block, T extends Turn<Block>>(messages: T[]): T[] {
  return messages.reduce<T[]>((turns, message) => {
    const last = turns.at(-1);
    if (last && last.role === message.role) last.content!.push(...(message.content ?? []));
    else turns.push({ ...message, content: [...(message.content ?? [])] });
    return turns;
  }, []);
}

/**
 * Tool-call arguments (JSON text) as an object. They are what a model produced earlier; one that is not JSON
 * should not fail the whole conversation, so it becomes `{}`.
 */
export function parseToolArguments(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
