import { ErrorCode } from '@app/common';
import { Chunk } from '@app/models';
import { CheckpointStream } from '../checkpoint/checkpoint-stream';
import { initialState } from '../checkpoint/workflow-state';
import { WorkflowStore } from '../gitlab/workflow-store';
import { ActionChannel } from '../session/action-channel';
import { ActionCodec } from '../session/action-codec';
import { ActionOutbox } from '../session/action-outbox';
import { runModelTurn, TurnRequest } from './model-turn';
import { SessionModel } from './session-model';

/** Yields its chunks and ends. */
class FiniteModel implements SessionModel {
  readonly maxContextTokens = 1000;
  constructor(private readonly chunks: Chunk[]) {}

  async *stream(): AsyncIterable<Chunk> {
    yield* this.chunks;
  }
}

function checkpointStream(): CheckpointStream {
  const channel = new ActionChannel(new ActionOutbox(), new (class extends ActionCodec {
    exceedsMessageLimit = () => false;
  })());
  return new CheckpointStream(channel, {} as WorkflowStore, initialState('goal'), {});
}

const turn = (signal = new AbortController().signal): TurnRequest => ({ agent: 'chat', messages: [], tools: [], streamText: true, signal });
const toolCall = (index: number): Chunk => ({ type: 'tool_call', index, id: 'call_1', name: 'read_file', argumentsDelta: '{}' });
const malformedIndex = {
  code: ErrorCode.ModelMalformed,
  message: 'Model server sent a malformed response: a tool call index must be an integer from 0 to 127',
};

describe(runModelTurn.name, () => {
  it('assembles tool calls by their index', async () => {
    const model = new FiniteModel([
      toolCall(1),
      { type: 'tool_call', index: 0, id: 'call_0', name: 'list_dir', argumentsDelta: '{"a"' },
      { type: 'tool_call', index: 0, argumentsDelta: ':1}' },
    ]);
    const { message } = await runModelTurn(model, checkpointStream(), turn());
    expect(message.toolCalls).toEqual([
      { id: 'call_0', name: 'list_dir', arguments: '{"a":1}' },
      { id: 'call_1', name: 'read_file', arguments: '{}' },
    ]);
  });

  it.each([['__proto__'], ['constructor'], [-1], [1.5], [128], [1e9], [Number.NaN]])(
    'refuses tool call index %p as a malformed model response',
    async (index) => {
      const model = new FiniteModel([toolCall(index as number)]);
      await expect(runModelTurn(model, checkpointStream(), turn())).rejects.toMatchObject(malformedIndex);
      expect(([] as unknown as { id?: string }).id).toBeUndefined();
    },
  );

  it('accepts the highest allowed tool call index', async () => {
    const { message } = await runModelTurn(new FiniteModel([toolCall(127)]), checkpointStream(), turn());
    expect(message.toolCalls).toEqual([{ id: 'call_1', name: 'read_file', arguments: '{}' }]);
  });
});
