import { status as GrpcStatus } from '@grpc/grpc-js';
import { Registry } from 'prom-client';
import { Action } from '@app/agent';
import { AgentPlatformMetrics } from './agent-platform-metrics';

const checkpoint = (status: string): Action =>
  ({
    requestID: 'r',
    newCheckpoint: { status, checkpoint: '{}', goal: '', errors: [], agent_context_usage: {} },
  }) as Action;

async function values(registry: Registry, name: string) {
  const metric = (await registry.getMetricsAsJSON()).find((family) => family.name === name)!;
  return metric.values.map(({ labels, value }) => ({ labels, value }));
}

describe(AgentPlatformMetrics.name, () => {
  it('counts a call waiting for a person until its next checkpoint or its end', async () => {
    const registry = new Registry();
    const tracker = new AgentPlatformMetrics(registry).track();
    tracker.sent(checkpoint('TOOL_CALL_APPROVAL_REQUIRED'));
    expect(await values(registry, 'agent_platform_approvals_pending')).toEqual([
      { labels: { kind: 'tool_call' }, value: 1 },
    ]);
    tracker.sent(checkpoint('RUNNING'));
    tracker.sent(checkpoint('INPUT_REQUIRED'));
    expect(await values(registry, 'agent_platform_approvals_pending')).toEqual([
      { labels: { kind: 'tool_call' }, value: 0 },
      { labels: { kind: 'input' }, value: 1 },
    ]);
    tracker.end(GrpcStatus.OK);
    tracker.end(GrpcStatus.CANCELLED);
    expect(await values(registry, 'agent_platform_approvals_pending')).toEqual([
      { labels: { kind: 'tool_call' }, value: 0 },
      { labels: { kind: 'input' }, value: 0 },
    ]);
    expect(await values(registry, 'agent_platform_workflows_finished_total')).toEqual([
      { labels: { code: 'OK' }, value: 1 },
    ]);
  });

  it('labels actions only with the contract oneof names, anything else as other', async () => {
    const registry = new Registry();
    const tracker = new AgentPlatformMetrics(registry).track();
    tracker.sent({ requestID: 'r', runReadFile: { filepath: 'a' } });
    tracker.sent({ requestID: 'r', ['x'.repeat(1000)]: {} } as unknown as Action);
    expect(await values(registry, 'agent_platform_actions_sent_total')).toEqual([
      { labels: { action: 'runReadFile' }, value: 1 },
      { labels: { action: 'other' }, value: 1 },
    ]);
  });
});
