import {
  EncodedResponse,
  EncodedStream,
  FakeReply,
  ModelFake,
  RecordedRequest,
  startModelFake,
  WireFormat,
} from '@gitlab-ai-gateway/provider-api/testing';
import { OpenAiWireFormat } from './openai-compatible.server';

/**
 * Stand-in for an OpenAI-compatible embeddings server (`POST …/embeddings`, as vLLM, Ollama, LiteLLM and OpenAI
 * serve it). Each input gets {@link fakeEmbedding} of its text, `dimensions` long when the request asks (else 3),
 * listed in reverse order with its `index`, as servers may do. Errors, delays and raw bodies as {@link FakeReply}.
 */
export function startEmbeddingsFake(): Promise<ModelFake> {
  return startModelFake(new EmbeddingsWireFormat(), '/v1');
}

/** A vector that identifies `text`: its length, then character-code sums, so tests can tell inputs apart. */
export function fakeEmbedding(text: string, dimensions = 3): number[] {
  return Array.from({ length: dimensions }, (_, i) =>
    i === 0
      ? text.length
      : [...text].reduce((sum, char, at) => sum + ((char.codePointAt(0)! * (at + i)) % 997), 0) / 1000,
  );
}

class EmbeddingsWireFormat implements WireFormat {
  private readonly errors = new OpenAiWireFormat();

  route(request: RecordedRequest): { stream: boolean } | undefined {
    return request.method === 'POST' && request.path.endsWith('/embeddings') ? { stream: false } : undefined;
  }

  reply(_reply: FakeReply, request: RecordedRequest): EncodedResponse {
    const inputs: string[] =
      typeof request.body?.input === 'string' ? [request.body.input] : (request.body?.input ?? []);
    const data = inputs
      .map((text, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(text, request.body?.dimensions) }))
      .reverse();
    const tokens = inputs.reduce((sum, text) => sum + text.split(/\s+/).length, 0);
    const body = {
      object: 'list',
      data,
      model: request.body?.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    };
    return { status: 200, headers: {}, body: JSON.stringify(body) };
  }

  stream(): EncodedStream {
    throw new Error('embeddings are never streamed');
  }

  error(reply: FakeReply): EncodedResponse {
    return this.errors.error(reply);
  }
}
