import { ErrorCode } from '@app/common';
import { SseEvent } from '@gitlab-ai-gateway/provider-api';
import { anthropicStreamChunks } from './anthropic.stream';
import { collect } from '@test/helpers/provider-kit';

async function* events(...payloads: object[]): AsyncGenerator<SseEvent> {
  for (const payload of payloads) yield { event: 'message', data: JSON.stringify(payload) };
}

describe(anthropicStreamChunks.name, () => {
  it('numbers tool calls among themselves, skips thinking, and ends with usage and finish', async () => {
    const chunks = await collect(
      anthropicStreamChunks(
        events(
          { type: 'message_start', message: { usage: { input_tokens: 11 } } },
          { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } },
          { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'hmm' } },
          { type: 'content_block_start', index: 1, content_block: { type: 'text', text: 'Look' } },
          { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'ing' } },
          {
            type: 'content_block_start',
            index: 2,
            content_block: { type: 'tool_use', id: 't1', name: 'read', input: {} },
          },
          { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{}' } },
          { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: 'stray' } },
          { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 20 } },
          { type: 'message_stop' },
        ),
      ),
    );
    expect(chunks).toEqual([
      { type: 'text', text: 'Look' },
      { type: 'text', text: 'ing' },
      { type: 'tool_call', index: 0, id: 't1', name: 'read', argumentsDelta: '' },
      { type: 'tool_call', index: 0, argumentsDelta: '{}' },
      { type: 'usage', usage: { inputTokens: 11, outputTokens: 20 } },
      { type: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('maps a rate_limit_error event to rate limited', async () => {
    const failing = anthropicStreamChunks(
      events({ type: 'error', error: { type: 'rate_limit_error', message: 'slow' } }),
    );
    await expect(collect(failing)).rejects.toMatchObject({ code: ErrorCode.ModelRateLimited });
  });
});
