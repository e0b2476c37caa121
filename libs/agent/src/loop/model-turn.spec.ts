import { once } from 'node:events';
import { AppError, ErrorCode } from '@app/common';
import { Chunk, ModelRequest } from '@app/models';
import { CheckpointStream } from '../checkpoint/checkpoint-stream';
import { initialState } from '../checkpoint/workflow-state';
import { Action } from '../contract/contract-types';
import { WorkflowStore } from '../gitlab/workflow-store';
import { ActionChannel } from '../session/action-channel';
import { ActionCodec } from '../session/action-codec';
import { ActionOutbox } from '../session/action-outbox';
import { runModelTurn, TurnRequest } from './model-turn';
import { SessionModel } from './session-model';

/** The 4 MiB limit scaled down: an action whose JSON is over 1,000 characters is too large. */
class SmallLimitCodec extends ActionCodec {
  exceedsMessageLimit(action: Action): boolean {
    return JSON.stringify(action).length > 1000;
  }
}

/** Yields its chunks, then stays open like a model still thinking, until the request is aborted. */
class OpenEndedModel implements SessionModel {
  readonly maxContextTokens = 1000;
  constructor(private readonly chunks: Chunk[]) {}

  async *stream(request: ModelRequest): AsyncIterable<Chunk> {
    yield* this.chunks;
    if (!request.signal?.aborted) await once(request.signal as AbortSignal, 'abort');
  }
}

/** Yields its chunks and ends. */
class FiniteModel implements SessionModel {
  readonly maxContextTokens = 1000;
  constructor(private readonly chunks: Chunk[]) {}

  async *stream(): AsyncIterable<Chunk> {
    yield* this.chunks;
  }
}

function checkpointStream(): CheckpointStream {
  const channel = new ActionChannel(new ActionOutbox(), new SmallLimitCodec());
  return new CheckpointStream(channel, {} as WorkflowStore, initialState('goal'), {});
}

const turn = (signal = new AbortController().signal): TurnRequest => ({
  agent: 'chat',
  messages: [],
  tools: [],
  streamText: true,
  signal,
});
const toolCall = (index: number): Chunk => ({
  type: 'tool_call',
  index,
  id: 'call_1',
  name: 'read_file',
  argumentsDelta: '{}',
});
const malformedIndex = {
  code: ErrorCode.ModelMalformed,
  message: 'Model server sent a malformed response: a tool call index must be an integer from 0 to 127',
};

describe(runModelTurn.name, () => {
  it('ends the turn with RESOURCE_EXHAUSTED when a throttled checkpoint is too large to send (§4.2)', async () => {
    const checkpoints = checkpointStream();
    // Just published: the next streamed text waits for the throttle timer instead of going out at once.
    checkpoints.publish();
    const model = new OpenEndedModel([{ type: 'text', text: 'x'.repeat(2000) }]);

    await expect(runModelTurn(model, checkpoints, turn())).rejects.toMatchObject({
      code: ErrorCode.ResourceExhausted,
      message: 'Outgoing message too large.',
    });
    expect(() => checkpoints.publish()).toThrow('Outgoing message too large.');
  });

  it('still ends a turn stopped by the run as stopped', async () => {
    const stop = new AbortController();
    const reason = new AppError(ErrorCode.Cancelled, 'workflow stopped (user)');
    const model = new OpenEndedModel([{ type: 'text', text: 'partial' }]);
    const pending = runModelTurn(model, checkpointStream(), turn(stop.signal));
    stop.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

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
