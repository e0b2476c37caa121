import { inflateSync } from 'node:zlib';
import { CheckpointWriter, writeModeOf } from './checkpoint-writer';

const inflate = (data: string) => JSON.parse(inflateSync(Buffer.from(data, 'base64')).toString('utf8'));
const checkpoint = (values: object) => ({ v: 1, id: 'x', channel_values: values });

describe(CheckpointWriter.name, () => {
  it('chooses the write mode from what GitLab advertises', () => {
    expect(writeModeOf(new Set(), undefined)).toBe('full');
    expect(writeModeOf(new Set(['incremental_checkpoints']), undefined)).toBe('incremental');
    expect(writeModeOf(new Set(['incremental_checkpoints', 'incremental_checkpoints_only']), true)).toBe(
      'incremental_only',
    );
    expect(writeModeOf(new Set(['incremental_checkpoints']), false)).toBe('full');
  });

  it('writes plain checkpoints in full mode', () => {
    expect(new CheckpointWriter('full').body(checkpoint({ a: [1] }), 0)).toEqual({
      checkpoint: checkpoint({ a: [1] }),
    });
  });

  it('writes appended tails as conversation blobs and shrunk channels as compactions', () => {
    const writer = new CheckpointWriter('incremental', { log: [1], history: { agent: ['a'] }, status: 'RUNNING' });
    const appended = writer.body(checkpoint({ log: [1, 2], history: { agent: ['a', 'b'] }, status: 'RUNNING' }), 3);
    expect(inflate(appended.compressed_checkpoint as string)).toEqual(
      checkpoint({ log: [1, 2], history: { agent: ['a', 'b'] }, status: 'RUNNING' }),
    );
    const blobs = appended.channel_blobs as Array<{
      channel: string;
      data: string;
      step_action: string;
      version: string;
    }>;
    expect(blobs.map((blob) => [blob.channel, blob.step_action, blob.version, inflate(blob.data)])).toEqual([
      ['log', 'conversation', '3', [2]],
      ['history', 'conversation', '3', { agent: ['b'] }],
    ]);
    expect(appended.current_thread).toBe(0);
    const shrunk = writer.body(checkpoint({ log: [9], history: { agent: ['a', 'b'] }, status: 'RUNNING' }), 4);
    const [log] = shrunk.channel_blobs as Array<{ channel: string; data: string; step_action: string }>;
    expect([log.channel, log.step_action, inflate(log.data)]).toEqual(['log', 'compaction', [9]]);
    expect(shrunk.current_thread).toBe(1);
  });
});
