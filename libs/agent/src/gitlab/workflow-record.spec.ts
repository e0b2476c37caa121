import { deflateSync } from 'node:zlib';
import { ErrorCode } from '@app/common';
import { checkpointOf, parseWorkflowRecord } from './workflow-record';

const compressed = (data: Buffer | string) => deflateSync(data).toString('base64');

describe(checkpointOf.name, () => {
  it('inflates a compressed checkpoint (§6.6)', () => {
    const document = { id: 'ts-1', channel_values: { status: 'RUNNING' } };
    expect(checkpointOf({ compressedCheckpoint: compressed(JSON.stringify(document)) })).toEqual(document);
  });

  it('refuses a compressed checkpoint that inflates past 64 MiB as a bad request', () => {
    // About 100 KB on the wire.
    const bomb = compressed(Buffer.alloc(100 * 1024 * 1024));
    const node = {
      statusName: 'RUNNING',
      project: { webUrl: 'https://gitlab.example/p' },
      latestCheckpoint: { compressedCheckpoint: bomb },
    };
    const graphql = JSON.stringify({ data: { duoWorkflowWorkflows: { nodes: [node] } } });
    expect(() => parseWorkflowRecord(200, graphql)).toThrow(
      expect.objectContaining({
        code: ErrorCode.BadRequest,
        message: 'compressedCheckpoint inflates to more than 64 MiB',
      }),
    );
  });
});
