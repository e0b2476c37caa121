import { Inject, Injectable } from '@nestjs/common';
import { AGENT_OPTIONS, AgentOptions } from '../agent-options';
import { Action, ClientEvent } from '../contract/contract-types';
import { SessionModelFactory } from '../loop/session-model';
import { sanitiseMcpToolName } from '../tools/mcp-tools';
import { workflowFor } from '../workflows/workflow-catalog';
import { ActionChannel } from './action-channel';
import { ActionCodec } from './action-codec';
import { ActionOutbox } from './action-outbox';
import { CallContext } from './call-context';
import { assertMetadataJson, firstStartRequest } from './client-events';
import { stopKindOf } from './stop-kind';
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
}

/** Drives `ExecuteWorkflow` (agent-platform.md §4): first event, flow selection, authorisation, the session. */
@Injectable()
export class WorkflowRunner {
  constructor(
    @Inject(AGENT_OPTIONS) private readonly options: AgentOptions,
    private readonly codec: ActionCodec,
    private readonly models: SessionModelFactory,
  ) {}

  execute(events: AsyncIterable<ClientEvent>, context: CallContext): WorkflowCall {
    const outbox = new ActionOutbox();
    const channel = new ActionChannel(outbox, this.codec);
    let session: WorkflowSession | undefined;
    let cancelled = false;
    const end = this.drive(events[Symbol.asyncIterator](), context, channel, (opened) => {
      session = opened;
      if (cancelled) opened.stop('client_gone');
    }).finally(() => outbox.close());
    const cancel = () => {
      cancelled = true;
      session?.stop('client_gone');
    };
    return { actions: outbox, end, cancel };
  }

  private async drive(
    events: AsyncIterator<ClientEvent>,
    context: CallContext,
    channel: ActionChannel,
    opened: (session: WorkflowSession) => void,
  ): Promise<WorkflowEnd> {
    const start = await firstStartRequest(events);
    if (!start) return NOT_STARTED;
    const selection = selectWorkflow(start);
    authoriseExecution(start, context);
    const workflow = workflowFor(
      selection,
      (start.mcpTools ?? []).map((tool) => sanitiseMcpToolName(tool.name)),
    );
    assertMetadataJson(start);
    const session = new WorkflowSession({
      channel,
      start,
      workflow,
      context,
      model: this.models.create(context.modelMetadata),
      billingEnabled: this.options.customModelsEnabled && context.billingHeader,
      modelMetadataJson: storableModelMetadata(context.modelMetadata),
    });
    opened(session);
    void pumpEvents(events, channel, session);
    const timer = setTimeout(() => session.stop('expired'), this.options.maxStreamDurationS * 1000);
    try {
      return await session.run();
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Client events after the first (§4.3): answers, stops; heartbeats and repeated start requests are ignored. */
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
