import { Metadata } from '@grpc/grpc-js';
import { lastValueFrom, Subject, toArray } from 'rxjs';
import { WorkflowRunner } from '@app/agent';
import { Identity } from '@app/auth';
import { AgentPlatformAuth } from './agent-platform-auth';
import { ErrorCode, ShutdownState } from '@app/common';
import { LimitsService } from '@app/limits';
import { AppConfig } from '../config';
import { AgentPlatformMetrics } from './agent-platform-metrics';
import { DuoWorkflowController } from './duo-workflow.controller';
import { StreamAdmission } from './stream-admission';

/** Authentication that takes as long as the test wants, like a first token whose key needs a JWKS fetch. */
class SlowAuthenticator {
  private grant?: (identity: Identity) => void;

  authenticate(): Promise<Identity> {
    return new Promise((resolve) => (this.grant = resolve));
  }

  finish(scopes: string[]): void {
    this.grant?.({
      isDebug: false,
      scopes,
      issuer: 'http://gitlab.example',
      featureEnabledByNamespaceIds: [],
      enabledFeatureFlags: [],
    });
  }
}

describe(DuoWorkflowController.name, () => {
  const config = { duoWorkflow: { cloudConnectorServiceName: 'gitlab-duo-workflow-service' } } as AppConfig;
  let auth: SlowAuthenticator;
  let controller: DuoWorkflowController;

  beforeEach(() => {
    auth = new SlowAuthenticator();
    controller = new DuoWorkflowController(
      auth as unknown as AgentPlatformAuth,
      {} as WorkflowRunner,
      {} as StreamAdmission,
      config,
      new ShutdownState(),
      {} as AgentPlatformMetrics,
      {} as LimitsService,
    );
  });

  /** Nest hands the handler a plain Subject: what arrives before anyone subscribes is gone. */
  function track(requestIDs: string[]) {
    const events = new Subject<{ requestID: string }>();
    const acks = lastValueFrom(controller.trackSelfHostedExecuteWorkflow(events, new Metadata()).pipe(toArray()));
    for (const requestID of requestIDs) events.next({ requestID });
    events.complete();
    return acks;
  }

  it('acknowledges every TrackSelfHostedExecuteWorkflow event sent while authentication is still running', async () => {
    const acks = track(['r1', 'r2', 'r3']);
    auth.finish(['duo_agent_platform']);
    expect(await acks).toEqual([{ requestID: 'r1' }, { requestID: 'r2' }, { requestID: 'r3' }]);
  });

  it('refuses TrackSelfHostedExecuteWorkflow without duo_agent_platform', async () => {
    const acks = track(['r1']);
    auth.finish(['duo_chat']);
    await expect(acks).rejects.toMatchObject({
      code: ErrorCode.PermissionDenied,
      message: 'Unauthorized to track self-hosted workflow execution',
    });
  });
});
