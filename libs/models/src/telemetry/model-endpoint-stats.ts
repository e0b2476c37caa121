import { Injectable } from '@nestjs/common';
import { LatencyHistogram, recordLatency } from './latency-histogram';

/** The status page shows the last 5 minutes in 10-second slots. */
export const SLOT_MS = 10_000;
export const WINDOW_SLOTS = 30;
const MAX_ENDPOINTS = 64;
const MAX_RECENT_ERRORS = 20;

export interface EndpointSlot {
  /** Slot start, ms since the epoch (a multiple of {@link SLOT_MS}). */
  start: number;
  calls: number;
  errors: number;
  latencyMs: LatencyHistogram;
  firstTokenMs: LatencyHistogram;
  outputTokens: number;
}

export interface EndpointOutcome {
  at: number;
  ok: boolean;
  /** Error code, for failures. */
  code?: string;
}

export interface EndpointSnapshot {
  /** Provider dialect and where it points, e.g. `custom_openai http://vllm:8000/v1`. */
  provider: string;
  endpoint: string;
  model: string;
  inFlight: number;
  lastOutcome?: EndpointOutcome;
  slots: EndpointSlot[];
}

export interface ModelCallError {
  at: number;
  provider: string;
  endpoint: string;
  model: string;
  code: string;
  /** Our own wording: never the upstream's body, which may echo the prompt. */
  summary: string;
}

export interface ModelStatsSnapshot {
  endpoints: EndpointSnapshot[];
  recentErrors: ModelCallError[];
}

export interface CallTarget {
  provider: string;
  endpoint: string;
  model: string;
}

/**
 * Per model endpoint: calls, errors, latency and time to first token over the last 5 minutes, for the admin
 * status page. Bounded: 64 endpoints (the least recently used one goes), 30 slots each, 20 recent errors.
 * Records nothing until {@link enable} (the status page is off unless an admin token is set).
 */
@Injectable()
export class ModelEndpointStats {
  private active = false;
  private readonly endpoints = new Map<string, EndpointSnapshot>();
  private readonly errors: ModelCallError[] = [];

  enable(): void {
    this.active = true;
  }

  get enabled(): boolean {
    return this.active;
  }

  /** Counts a call as started; the returned object records how it went. */
  start(target: CallTarget): EndpointSnapshot | undefined {
    if (!this.active) return undefined;
    const key = `${target.provider} ${target.endpoint} ${target.model}`;
    let entry = this.endpoints.get(key);
    if (entry) {
      this.endpoints.delete(key);
    } else {
      entry = { ...target, inFlight: 0, slots: [] };
      if (this.endpoints.size >= MAX_ENDPOINTS) this.endpoints.delete(this.endpoints.keys().next().value as string);
    }
    this.endpoints.set(key, entry);
    entry.inFlight += 1;
    return entry;
  }

  finish(
    entry: EndpointSnapshot,
    result: {
      latencyMs: number;
      firstTokenMs?: number;
      outputTokens?: number;
      error?: { code: string; summary: string };
    },
  ): void {
    const now = Date.now();
    entry.inFlight -= 1;
    const slot = this.slotOf(entry, now);
    slot.calls += 1;
    recordLatency(slot.latencyMs, result.latencyMs);
    if (result.firstTokenMs !== undefined) recordLatency(slot.firstTokenMs, result.firstTokenMs);
    slot.outputTokens += result.outputTokens ?? 0;
    if (!result.error) {
      entry.lastOutcome = { at: now, ok: true };
      return;
    }
    slot.errors += 1;
    entry.lastOutcome = { at: now, ok: false, code: result.error.code };
    this.errors.unshift({
      at: now,
      provider: entry.provider,
      endpoint: entry.endpoint,
      model: entry.model,
      ...result.error,
    });
    this.errors.length = Math.min(this.errors.length, MAX_RECENT_ERRORS);
  }

  /** A copy of the last 5 minutes, safe to send to the cluster primary. */
  snapshot(now = Date.now()): ModelStatsSnapshot {
    const oldest = slotStart(now) - (WINDOW_SLOTS - 1) * SLOT_MS;
    return {
      endpoints: [...this.endpoints.values()].map((entry) => ({
        ...entry,
        slots: entry.slots.filter((slot) => slot.start >= oldest).map((slot) => structuredClone(slot)),
      })),
      recentErrors: this.errors.map((error) => ({ ...error })),
    };
  }

  private slotOf(entry: EndpointSnapshot, now: number): EndpointSlot {
    const start = slotStart(now);
    const last = entry.slots[entry.slots.length - 1];
    if (last?.start === start) return last;
    const slot: EndpointSlot = { start, calls: 0, errors: 0, latencyMs: {}, firstTokenMs: {}, outputTokens: 0 };
    entry.slots.push(slot);
    while (entry.slots.length > 0 && entry.slots[0].start <= start - WINDOW_SLOTS * SLOT_MS) entry.slots.shift();
    return slot;
  }
}

export const slotStart = (ms: number) => ms - (ms % SLOT_MS);
