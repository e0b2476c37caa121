import type { ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { Chunk, FinishReason, malformed } from '@gitlab-ai-gateway/provider-api';
import { toFinishReason } from './bedrock.mapper';

/**
 * Chunks of a ConverseStream; the SDK throws the exceptions sent inside it. Tool calls are numbered among
 * themselves, whatever their content block index. Usage arrives in the trailing `metadata` event, so the finish
 * reason is given once the stream has ended.
 */
export async function* bedrockStreamChunks(events: AsyncIterable<ConverseStreamOutput>): AsyncGenerator<Chunk> {
  const toolIndexByBlock = new Map<number, number>();
  let finish: FinishReason | undefined;
  for await (const event of events) {
    const block = event.contentBlockStart?.contentBlockIndex ?? event.contentBlockDelta?.contentBlockIndex ?? 0;
    const toolUse = event.contentBlockStart?.start?.toolUse;
    if (toolUse) {
      const index = toolIndexByBlock.size;
      toolIndexByBlock.set(block, index);
      yield { type: 'tool_call', index, id: toolUse.toolUseId, name: toolUse.name, argumentsDelta: '' };
    }
    const delta = event.contentBlockDelta?.delta;
    if (delta?.text) yield { type: 'text', text: delta.text };
    if (delta?.toolUse && toolIndexByBlock.has(block)) {
      yield { type: 'tool_call', index: toolIndexByBlock.get(block)!, argumentsDelta: delta.toolUse.input ?? '' };
    }
    if (event.messageStop) finish = toFinishReason(event.messageStop.stopReason);
    const usage = event.metadata?.usage;
    if (usage) {
      yield { type: 'usage', usage: { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 } };
    }
  }
  if (finish === undefined) throw malformed('the stream ended before messageStop');
  yield { type: 'finish', reason: finish };
}
