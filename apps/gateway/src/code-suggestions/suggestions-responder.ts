import { Injectable } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { HttpStreamWriter, StreamSource } from '../streaming/http-stream-writer';
import { SuggestionChoice, SuggestionsResponse, SuggestionsV3Response } from './code-suggestions.dto';
import { SSE_HEADERS, SSE_PING_INTERVAL_MS, sseEvent, ssePing, withIdlePings } from './sse-framing';
import { Suggestion, SuggestionModel } from './suggestion';

/** `model.region` of every answer: where a GitLab-hosted model ran; empty on a self-hosted gateway (gitlab-versions.md §3). */
const SELF_HOSTED_REGION = '';
/** `/v2/code/*` and `/v3` streams: raw text deltas, no framing (http-api.md §2.6). */
const RAW_STREAM_TYPE = 'text/event-stream; charset=utf-8';

/** Shapes a {@link Suggestion} for each endpoint version (http-api.md §2.2, §2.8, §2.9). */
@Injectable()
export class SuggestionsResponder {
  constructor(private readonly writer: HttpStreamWriter) {}

  async sendV2(request: FastifyRequest, reply: FastifyReply, suggestion: Suggestion): Promise<void> {
    if (suggestion.kind === 'stream') return this.writer.send(reply.code(200), RAW_STREAM_TYPE, suggestion.chunks);
    const body: SuggestionsResponse = {
      id: 'id',
      model: { ...suggestion.model, tokens_consumption_metadata: suggestion.tokens, region: SELF_HOSTED_REGION },
      experiments: [],
      object: 'text_completion',
      created: nowSeconds(),
      choices: choicesOf(suggestion.text),
      metadata: { enabled_feature_flags: this.featureFlags(request) },
    };
    await reply.code(200).type('application/json').send(JSON.stringify(body));
  }

  async sendV3(request: FastifyRequest, reply: FastifyReply, suggestion: Suggestion): Promise<void> {
    if (suggestion.kind === 'stream') return this.writer.send(reply.code(200), RAW_STREAM_TYPE, suggestion.chunks);
    await this.sendV3Json(request, reply, suggestion.model, suggestion.text);
  }

  /** v3 plus real SSE streaming: `stream_start`, `content_chunk`…, `stream_end`, idle pings. */
  async sendV4(request: FastifyRequest, reply: FastifyReply, suggestion: Suggestion): Promise<void> {
    if (suggestion.kind === 'text') return this.sendV3Json(request, reply, suggestion.model, suggestion.text);
    const flags = this.featureFlags(request);
    const ping = () => ssePing(new Date());
    const events: StreamSource = (signal) =>
      withIdlePings(sseEvents(suggestion.model, flags, suggestion.chunks, signal), SSE_PING_INTERVAL_MS, ping);
    reply.code(200).headers(SSE_HEADERS);
    await this.writer.send(reply, SSE_HEADERS['content-type'], events);
  }

  private async sendV3Json(request: FastifyRequest, reply: FastifyReply, model: SuggestionModel, text: string) {
    const body: SuggestionsV3Response = {
      choices: choicesOf(text),
      metadata: {
        model: { ...model, region: SELF_HOSTED_REGION },
        timestamp: nowSeconds(),
        enabled_feature_flags: this.featureFlags(request),
      },
    };
    await reply.code(200).type('application/json').send(JSON.stringify(body));
  }

  private featureFlags(request: FastifyRequest): string[] {
    return [...(request.identity?.enabledFeatureFlags ?? [])];
  }
}

/**
 * The v4 event sequence. `stream_start` waits for the model's first chunk, so a model that fails before
 * answering still gets an error status instead of a truncated 200.
 */
async function* sseEvents(model: SuggestionModel, flags: string[], chunks: StreamSource, signal: AbortSignal) {
  const iterator = chunks(signal)[Symbol.asyncIterator]();
  let next = await iterator.next();
  // Every answer carries the flags, empty or not (gitlab-versions.md §3).
  const metadata = {
    model: { engine: model.engine, name: model.name, region: SELF_HOSTED_REGION },
    timestamp: nowSeconds(),
    enabled_feature_flags: flags,
  };
  yield sseEvent('stream_start', { metadata });
  for (; !next.done; next = await iterator.next()) {
    if (next.value !== '') yield sseEvent('content_chunk', { choices: [{ delta: { content: next.value }, index: 0 }] });
  }
  yield sseEvent('stream_end', null);
}

function choicesOf(text: string): SuggestionChoice[] {
  return text ? [{ text, index: 0, finish_reason: 'length' }] : [];
}

const nowSeconds = () => Math.floor(Date.now() / 1000);
