import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Identity } from '@app/auth';
import { Chunk, ModelRequest } from '@app/models';
import { AgentOptions } from '../agent-options';
import { Action, ClientEvent } from '../contract/contract-types';
import { FlowRegistry } from '../flows/flow-registry';
import { SessionModel, SessionModelFactory } from '../loop/session-model';
import { toolDirectory } from '../tools/tool-catalog';
import { ActionCodec } from './action-codec';
import { CallContext } from './call-context';
import { WorkflowCall, WorkflowRunner } from './workflow-runner';

/** The client's side of the stream: events the test sends, ended by a half-close. */
class Inbound implements AsyncIterable<ClientEvent> {
  private readonly queue: ClientEvent[] = [];
  private ended = false;
  private wake?: () => void;

  send(event: ClientEvent): void {
    this.queue.push(event);
    this.wake?.();
  }

  halfClose(): void {
    this.ended = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ClientEvent> {
    for (;;) {
      const next = this.queue.shift();
      if (next) yield next;
      else if (this.ended) return;
      else await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

/** A model that answers only when the call is aborted (it stands for a slow model). */
class StallingModel implements SessionModel {
  readonly maxContextTokens = 1000;
  async *stream(request: ModelRequest): AsyncIterable<Chunk> {
    await new Promise((resolve) => request.signal?.addEventListener('abort', resolve));
  }
}

const WORKFLOW = {
  data: {
    duoWorkflowWorkflows: {
      nodes: [
        { statusName: 'CREATED', project: { id: '1', webUrl: 'https://gitlab.example/p' }, agentPrivilegesNames: [] },
      ],
    },
  },
};

const context: CallContext = {
  identity: {
    isDebug: true,
    scopes: [],
    featureEnabledByNamespaceIds: [],
    enabledFeatureFlags: [],
  } as unknown as Identity,
  correlationId: 'c',
  gitlabVersion: '18.9.0',
  billingHeader: false,
};

function runner(maxStreamDurationS = 3600): WorkflowRunner {
  const options: AgentOptions = {
    customModelsEnabled: false,
    maxStreamDurationS,
    defaultModelMetadata: {},
    flowsDir: '',
  };
  const codec = new (class extends ActionCodec {
    exceedsMessageLimit = () => false;
  })();
  const models = new (class extends SessionModelFactory {
    create = () => new StallingModel();
  })();
  return new WorkflowRunner(options, codec, models, FlowRegistry.load(join(__dirname, '../../flows'), toolDirectory()));
}

/**
 * Plays the client: answers the workflow fetch, then each HTTP action `answer` accepts; every other action
 * stays unanswered, as from a client that stopped answering.
 */
async function client(call: WorkflowCall, inbound: Inbound, answer: (action: Action) => boolean): Promise<Action[]> {
  const seen: Action[] = [];
  for await (const action of call.actions) {
    seen.push(action);
    const http = action.runHTTPRequest;
    if (!http) continue;
    const body = http.path === '/api/graphql' ? JSON.stringify(WORKFLOW) : '{}';
    if (http.path === '/api/graphql' || answer(action)) {
      inbound.send({
        actionResponse: {
          requestID: action.requestID,
          httpResponse: { statusCode: 200, body, headers: {}, error: '' },
        },
      });
    }
  }
  return seen;
}

const start = (goal = 'hi'): ClientEvent => ({
  startRequest: { workflowID: '7', goal, workflowDefinition: 'chat' } as ClientEvent['startRequest'],
});
const userStop: ClientEvent = { stopWorkflow: { reason: 'WORKFLOW_STOPPED_BY_USER' } };
const isPatch = (event: string) => (action: Action) =>
  action.runHTTPRequest?.body === JSON.stringify({ status_event: event });

describe(WorkflowRunner.name, () => {
  afterEach(() => jest.useRealTimers());

  it('ends at once when the client half-closes after stopWorkflow without answering the stop bookkeeping', async () => {
    const inbound = new Inbound();
    const call = runner().execute(inbound, context);
    const actions = client(call, inbound, (action) => isPatch('start')(action));
    inbound.send(start());
    await new Promise((resolve) => setImmediate(resolve));
    inbound.send(userStop);
    inbound.halfClose();
    await expect(call.end).resolves.toEqual({ outcome: 'stopped', details: 'workflow execution stopped' });
    expect((await actions).filter((action) => action.runHTTPRequest).length).toBeGreaterThan(1);
  });

  it('gives the bookkeeping after stopWorkflow 10 s when the client stays but does not answer', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    const inbound = new Inbound();
    const call = runner().execute(inbound, context);
    const actions = client(call, inbound, () => false);
    inbound.send(start());
    await jest.advanceTimersByTimeAsync(0);
    inbound.send(userStop);
    let ended = false;
    void call.end.then(() => (ended = true));
    await jest.advanceTimersByTimeAsync(9_900);
    expect(ended).toBe(false);
    await jest.advanceTimersByTimeAsync(200);
    await expect(call.end).resolves.toMatchObject({ outcome: 'stopped' });
    expect((await actions).some(isPatch('stop'))).toBe(true);
  });

  it('lets the duration limit cut the stop bookkeeping short, whichever comes first', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    const inbound = new Inbound();
    const call = runner(2).execute(inbound, context);
    void client(call, inbound, () => false);
    inbound.send(start());
    await jest.advanceTimersByTimeAsync(1_000);
    inbound.send(userStop);
    await jest.advanceTimersByTimeAsync(1_100);
    await expect(call.end).resolves.toMatchObject({ outcome: 'stopped' });
    expect(call.deadline.aborted).toBe(true);
  });

  it('bounds even a call whose client never sends its first event', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] });
    const call = runner(5).execute(new Inbound(), context);
    await jest.advanceTimersByTimeAsync(5_000);
    await expect(call.end).resolves.toEqual({ outcome: 'not_started', details: '' });
  });

  it('keeps nothing of a stopped call once it has ended', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const leaked = await (async () => {
      const inbound = new Inbound();
      const event = start('x'.repeat(100_000));
      const weak = new WeakRef(event.startRequest as object);
      const call = runner().execute(inbound, context);
      const actions = client(call, inbound, isPatch('start'));
      inbound.send(event);
      await new Promise((resolve) => setImmediate(resolve));
      inbound.send(userStop);
      inbound.halfClose();
      await call.end;
      await actions;
      return weak;
    })();
    for (let round = 0; round < 5 && leaked.deref(); round += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      gc();
    }
    expect(leaked.deref()).toBeUndefined();
  });
});
