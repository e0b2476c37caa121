import { AppError } from '@app/common';
import { Action } from '../contract/contract-types';
import { ActionChannel } from './action-channel';
import { ActionCodec } from './action-codec';
import { ActionOutbox } from './action-outbox';

class SizeLimitCodec extends ActionCodec {
  exceedsMessageLimit(action: Action): boolean {
    return JSON.stringify(action).length > 1000;
  }
}

async function take(outbox: ActionOutbox, count: number): Promise<Action[]> {
  const actions: Action[] = [];
  for await (const action of outbox) {
    actions.push(action);
    if (actions.length === count) break;
  }
  return actions;
}

const checkpoint = (status: string) => ({ status, checkpoint: '{}', goal: '', errors: [], agent_context_usage: {} });

describe(ActionChannel.name, () => {
  let outbox: ActionOutbox;
  let channel: ActionChannel;

  beforeEach(() => {
    outbox = new ActionOutbox();
    channel = new ActionChannel(outbox, new SizeLimitCodec());
  });

  it('routes answers by request id, whatever their order', async () => {
    const first = channel.request({ runReadFile: { filepath: 'a' } });
    const second = channel.request({ runReadFile: { filepath: 'b' } });
    const [a, b] = await take(outbox, 2);
    channel.deliver({ requestID: b.requestID, plainTextResponse: { response: 'B', error: '' } });
    channel.deliver({ requestID: a.requestID, plainTextResponse: { response: 'A', error: '' } });
    expect((await first).plainTextResponse?.response).toBe('A');
    expect((await second).plainTextResponse?.response).toBe('B');
  });

  it('sends only the latest of several queued checkpoints', async () => {
    channel.checkpoint(checkpoint('RUNNING'));
    channel.checkpoint(checkpoint('FINISHED'));
    void channel.request({ mkdir: { directory_path: 'x' } });
    channel.checkpoint(checkpoint('RUNNING'));
    const actions = await take(outbox, 3);
    expect(actions.map((action) => action.newCheckpoint?.status ?? 'mkdir')).toEqual(['FINISHED', 'mkdir', 'RUNNING']);
  });

  it('gives an empty-id HTTP answer to the oldest HTTP action and a plain one to the oldest other action', async () => {
    const read = channel.request({ runReadFile: { filepath: 'a' } });
    const http = channel.request({ runHTTPRequest: { method: 'GET', path: '/x' } });
    channel.deliver({ requestID: '', httpResponse: { statusCode: 200, body: 'h', headers: {}, error: '' } });
    channel.deliver({ requestID: '', plainTextResponse: { response: 'p', error: '' } });
    expect((await http).httpResponse?.body).toBe('h');
    expect((await read).plainTextResponse?.response).toBe('p');
  });

  it('drops answers for unknown request ids', async () => {
    const pending = channel.request({ runReadFile: { filepath: 'a' } });
    const [action] = await take(outbox, 1);
    channel.deliver({ requestID: 'unknown', plainTextResponse: { response: 'wrong', error: '' } });
    channel.deliver({ requestID: action.requestID, plainTextResponse: { response: 'right', error: '' } });
    expect((await pending).plainTextResponse?.response).toBe('right');
  });

  it('refuses an action over the message limit with "Outgoing message too large."', () => {
    expect(() => channel.request({ runWriteFile: { filepath: 'f', contents: 'x'.repeat(2000) } })).toThrow(AppError);
    expect(() => channel.checkpoint({ ...checkpoint('RUNNING'), checkpoint: 'x'.repeat(2000) })).toThrow(
      'Outgoing message too large.',
    );
  });

  it('fails waiting actions when closed and refuses new ones', async () => {
    const pending = channel.request({ runReadFile: { filepath: 'a' } });
    const reason = new Error('gone');
    channel.close(reason);
    await expect(pending).rejects.toBe(reason);
    await expect(channel.request({ runReadFile: { filepath: 'b' } })).rejects.toBe(reason);
  });
});
