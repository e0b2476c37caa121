import { Inject, Injectable } from '@nestjs/common';
import { AGENT_OPTIONS, AgentOptions } from '../agent-options';
import { Action, ClientEvent } from '../contract/contract-types';
import { FlowRegistry } from '../flows/flow-registry';
import { SessionModelFactory } from '../loop/session-model';
import { workflowFor } from '../workflows/workflow-catalog';
import { ActionChannel } from './action-channel';
import { ActionCodec } from './action-codec';
import { ActionOutbox } from './action-outbox';
import { CallContext } from './call-context';
import { assertMetadataJson, firstStartRequest } from './client-events';
import { StopKind, stopKindOf } from './stop-kind';
import { authoriseExecution } from './workflow-authorisation';
import { NOT_STARTED, WorkflowEnd } from './workflow-end';
import { selectWorkflow } from './workflow-request';
import { WorkflowSession } from './workflow-session';

/** One `ExecuteWorkflow` call as the gRPC edge sees it. */
export interface WorkflowCall {
  /** Actions to send, in order; ends when the call does. */
  actions: AsyncIterable<Action>;
  /** How the call ends; rejects with an `AppError` for the error statuses of §4.4. */
  end: Promise<WorkflowEnd>;
  /** The client cancelled the RPC: abort the model call and every waiting action. */
  cancel(): void;
  /** Aborted when the call reaches `MAX_STREAM_DURATION_S`: nothing may wait on the client past it. */
  deadline: AbortSignal;
}

/**
 * Drives `ExecuteWorkflow` (agent-platform.md §4): first event, flow selection, authorisation, the session.
 * Every call ends: at the workflow's end, a stop, the client going away or the stream duration limit,
 * whichever comes first; nothing of it is kept once it has.
 */
@Injectable()
export class WorkflowRunner {
  constructor(
    @Inject(AGENT_OPTIONS) private readonly options: AgentOptions,
    private readonly codec: ActionCodec,
    private readonly models: SessionModelFactory,
    private readonly flows: FlowRegistry,
  ) {}

  execute(events: AsyncIterable<ClientEvent>, context: CallContext): WorkflowCall {
    const outbox = new ActionOutbox();
    const channel = new ActionChannel(outbox, this.codec);
    const inbound = events[Symbol.asyncIterator]();
    const stopped = new AbortController();
    const deadline = new AbortController();
    let session: WorkflowSession | undefined;
    const stop = (kind: StopKind) => {
      if (!stopped.signal.aborted) stopped.abort(kind);
      session?.stop(kind);
    };
    const timer = setTimeout(() => {
      deadline.abort();
      stop('expired');
    }, this.options.maxStreamDurationS * 1000);
    const opened = (created: WorkflowSession) => {
      session = created;
      if (stopped.signal.aborted) created.stop(stopped.signal.reason as StopKind);
    };
    const end = this.drive(inbound, context, channel, stopped.signal, opened).finally(() => {
      clearTimeout(timer);
      outbox.close();
      // The client may keep its side open: stop reading it, so nothing of the call stays referenced.
      void inbound.return?.();
    });
    return { actions: outbox, end, cancel: () => stop('client_gone'), deadline: deadline.signal };
  }

  private async drive(
    events: AsyncIterator<ClientEvent>,
    context: CallContext,
    channel: ActionChannel,
    stopped: AbortSignal,
    opened: (session: WorkflowSession) => void,
  ): Promise<WorkflowEnd> {
    const start = await untilStopped(firstStartRequest(events), stopped);
    if (!start) return NOT_STARTED;
    const selection = selectWorkflow(start);
    authoriseExecution(start, context);
    const workflow = workflowFor(selection, this.flows);
    assertMetadataJson(start);
    const model = this.models.create(context.modelMetadata);
    const session = new WorkflowSession({
      channel,
      start,
      workflow,
      context,
      model,
      billingEnabled: this.options.customModelsEnabled && context.billingHeader,
      modelMetadataJson: storableModelMetadata(context.modelMetadata),
    });
    opened(session);
    void pumpEvents(events, channel, session);
    return session.run();
  }
}

/** The first event, unless the call is stopped (client gone, duration limit) while waiting for it. */
function untilStopped<T>(pending: Promise<T>, stopped: AbortSignal): Promise<T | undefined> {
  if (stopped.aborted) return Promise.resolve(undefined);
  return new Promise<T | undefined>((resolve, reject) => {
    const onStop = () => resolve(undefined);
    stopped.addEventListener('abort', onStop, { once: true });
    pending.then(
      (value) => (stopped.removeEventListener('abort', onStop), resolve(value)),
      (error: unknown) => (stopped.removeEventListener('abort', onStop), reject(error)),
    );
  });
}

/**
 * Client events after the first (§4.3): answers, stops; heartbeats and repeated start requests are ignored.
 * Once the client half-closes it can answer nothing more, so the session ends at once (`client_gone`).
 */
async function pumpEvents(events: AsyncIterator<ClientEvent>, channel: ActionChannel, session: WorkflowSession) {
  try {
    for (let next = await events.next(); !next.done; next = await events.next()) {
      if (next.value.actionResponse) channel.deliver(next.value.actionResponse);
      else if (next.value.stopWorkflow) session.stop(stopKindOf(next.value.stopWorkflow.reason));
    }
  } catch {
    // A broken inbound stream is the client going away, handled below.
  } finally {
    session.stop('client_gone');
  }
}

/** The model metadata as stored with checkpoints: never the api key (§6.8). */
function storableModelMetadata(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  try {
    const { api_key: _apiKey, ...rest } = JSON.parse(raw) as Record<string, unknown>;
    return JSON.stringify(rest);
  } catch {
    return undefined;
  }
}
