import { request } from 'node:http';
import { AddressInfo } from 'node:net';
import Fastify, { FastifyInstance } from 'fastify';
import { RootLogger } from '../logging/logging.module';
import { HttpStreamWriter, StreamSource } from './http-stream-writer';

describe(HttpStreamWriter.name, () => {
  let server: FastifyInstance;
  let baseUrl: string;
  let source: StreamSource;
  const warn = jest.fn();
  const writer = new HttpStreamWriter({ warn } as unknown as RootLogger);

  beforeAll(async () => {
    server = Fastify();
    server.addHook('onSend', async (_request, reply) => {
      reply.header('x-on-send', 'ran');
    });
    server.post('/stream', async (_request, reply) => {
      try {
        await writer.send(reply, 'text/event-stream; charset=utf-8', source);
      } catch (error) {
        return reply.code(500).send({ detail: (error as Error).message });
      }
      return reply;
    });
    await server.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());
  beforeEach(() => warn.mockReset());

  it('sends each chunk in order through the onSend hooks', async () => {
    source = async function* () {
      yield 'ret';
      yield '';
      yield 'urn';
    };
    const response = await fetch(`${baseUrl}/stream`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('x-on-send')).toBe('ran');
    expect(await response.text()).toBe('return');
  });

  it('rejects when the source fails before the first chunk, so an error status can still be sent', async () => {
    source = async function* () {
      throw new Error('401: Unauthorized');
    };
    const response = await fetch(`${baseUrl}/stream`, { method: 'POST' });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ detail: '401: Unauthorized' });
  });

  it('ends the body cleanly and logs when the source fails after the first chunk', async () => {
    source = async function* () {
      yield 'partial';
      throw new Error('upstream reset');
    };
    const response = await fetch(`${baseUrl}/stream`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('partial');
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ err: expect.any(Error) }),
      expect.stringContaining('truncated'),
    );
  });

  it('aborts the source when the client disconnects', async () => {
    let aborted!: Promise<void>;
    source = (signal) => {
      aborted = new Promise((resolve) => signal.addEventListener('abort', () => resolve()));
      return (async function* () {
        yield 'first';
        await aborted;
      })();
    };
    await new Promise<void>((resolve) => {
      const client = request(`${baseUrl}/stream`, { method: 'POST' }, (response) => {
        response.once('data', () => {
          client.destroy();
          resolve();
        });
      });
      client.end();
    });
    await expect(aborted).resolves.toBeUndefined();
    expect(warn).not.toHaveBeenCalled();
  });
});
