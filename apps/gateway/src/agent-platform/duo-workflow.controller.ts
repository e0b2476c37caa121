import { randomUUID } from 'node:crypto';
import { Metadata, ServerDuplexStream } from '@grpc/grpc-js';
import { Controller } from '@nestjs/common';
import { GrpcStreamMethod } from '@nestjs/microservices';
import { defer, finalize, from, map, mergeMap, Observable } from 'rxjs';
import { Action, callContextOf, ClientEvent, WorkflowRunner } from '@app/agent';
import { can, metadataHeaders } from '@app/auth';
import { AppError, ErrorCode, RequestContext, RequestContextStore, ShutdownState } from '@app/common';
import { LimitsService } from '@app/limits';
import { AgentPlatformAuth } from './agent-platform-auth';
import { AppConfig } from '../config';
import { AgentPlatformMetrics } from './agent-platform-metrics';
import { toAsyncIterable } from './async-iterable';
import { toClientEvent } from './client-event.mapper';
import { StreamAdmission } from './stream-admission';
import { workflowCallStream } from './workflow-call.stream';

interface TrackSelfHostedClientEvent {
  requestID: string;
}

/** The streaming RPCs of `DuoWorkflow` (agent-platform.md §2): thin adapters over libs/agent. */
@Controller()
export class DuoWorkflowController {
  constructor(
    private readonly auth: AgentPlatformAuth,
    private readonly runner: WorkflowRunner,
    private readonly admission: StreamAdmission,
    private readonly config: AppConfig,
    private readonly shutdown: ShutdownState,
    private readonly metrics: AgentPlatformMetrics,
    private readonly limits: LimitsService,
  ) {}

  @GrpcStreamMethod('DuoWorkflow', 'ExecuteWorkflow')
  executeWorkflow(
    events: Observable<ClientEvent>,
    metadata: Metadata,
    call: ServerDuplexStream<ClientEvent, Action>,
  ): Observable<Action> {
    const inbound = toAsyncIterable(events.pipe(map(toClientEvent)));
    return defer(() => {
      const release = this.admission.admit();
      // The call's model requests count against its caller's limits: they find the caller in this context.
      const context: RequestContext = RequestContextStore.current() ?? { correlationId: randomUUID() };
      const open = async () => {
        const identity = await this.auth.authenticate(metadata);
        await this.limits.check({ user: context.caller?.user, instance: context.caller?.instance });
        return this.runner.execute(inbound, callContextOf(metadataHeaders(metadata), identity));
      };
      const tracker = this.metrics.track();
      const workflow = workflowCallStream(open, call, { cut: this.shutdown.cutSignal, tracker });
      return new Observable<Action>((subscriber) =>
        RequestContextStore.run(context, () => workflow.subscribe(subscriber)),
      ).pipe(finalize(release));
    });
  }

  /** One ack per event echoing its `requestID`; self-hosted billing is a no-op here (§2). */
  @GrpcStreamMethod('DuoWorkflow', 'TrackSelfHostedExecuteWorkflow')
  trackSelfHostedExecuteWorkflow(
    events: Observable<TrackSelfHostedClientEvent>,
    metadata: Metadata,
  ): Observable<{ requestID: string }> {
    const inbound = toAsyncIterable(events);
    return from(this.auth.authenticate(metadata)).pipe(
      mergeMap((identity) => {
        if (!can(identity, 'duo_agent_platform', [this.config.duoWorkflow.cloudConnectorServiceName])) {
          throw new AppError(ErrorCode.PermissionDenied, 'Unauthorized to track self-hosted workflow execution');
        }
        return from(inbound).pipe(map((event) => ({ requestID: event.requestID })));
      }),
    );
  }
}
