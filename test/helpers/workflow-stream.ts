import { ClientDuplexStream, Metadata, StatusObject } from '@grpc/grpc-js';
import { duoWorkflowClient } from './grpc-clients';

/** An `Action` as the test client receives it (loader options of the server: keepCase, oneofs, defaults). */
export type ReceivedAction = Record<string, any> & { requestID: string; action: string };

export interface WorkflowMetadataOptions {
  token?: string;
  gitlabVersion?: string;
  modelMetadata?: object;
  extra?: Record<string, string>;
}

/** The metadata Workhorse sends (agent-platform.md §5.1). */
export function workflowMetadata(options: WorkflowMetadataOptions = {}): Metadata {
  const metadata = new Metadata();
  if (options.token) metadata.set('authorization', `Bearer ${options.token}`);
  metadata.set('x-gitlab-authentication-type', 'oidc');
  metadata.set('x-gitlab-realm', 'self-managed');
  metadata.set('x-gitlab-instance-id', 'instance-1');
  metadata.set('x-gitlab-global-user-id', 'user-1');
  metadata.set('x-gitlab-version', options.gitlabVersion ?? '18.9.0');
  if (options.modelMetadata)
    metadata.set('x-gitlab-agent-platform-model-metadata', JSON.stringify(options.modelMetadata));
  for (const [key, value] of Object.entries(options.extra ?? {})) metadata.set(key, value);
  return metadata;
}

/**
 * One `ExecuteWorkflow` call from the client side: every action is recorded and can be awaited, the final
 * status is a promise. Await events, never sleep.
 */
export class WorkflowStream {
  readonly actions: ReceivedAction[] = [];
  readonly status: Promise<StatusObject>;
  private readonly waiters: Array<() => void> = [];
  private readonly call: ClientDuplexStream<object, ReceivedAction>;
  private ended = false;

  constructor(address: string, metadata: Metadata) {
    const client = duoWorkflowClient(address) as unknown as {
      ExecuteWorkflow(metadata: Metadata): ClientDuplexStream<object, ReceivedAction>;
    };
    this.call = client.ExecuteWorkflow(metadata);
    this.call.on('data', (action: ReceivedAction) => {
      this.actions.push(action);
      this.wake();
    });
    this.call.on('error', () => undefined);
    this.status = new Promise((resolve) =>
      this.call.on('status', (status: StatusObject) => {
        this.ended = true;
        this.wake();
        resolve(status);
      }),
    );
  }

  send(event: object): void {
    if (!this.ended) this.call.write(event);
  }

  /** Half-close. */
  end(): void {
    this.call.end();
  }

  cancel(): void {
    this.call.cancel();
  }

  /** Resolves with the first action (from index `from` on) matching `predicate`; undefined if the call ends first. */
  async waitFor(predicate: (action: ReceivedAction) => boolean, from = 0): Promise<ReceivedAction | undefined> {
    for (;;) {
      const found = this.actions.slice(from).find(predicate);
      if (found) return found;
      if (this.ended) return undefined;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Resolves on every newly received action or at the end; for event-driven helpers. */
  changed(): Promise<void> {
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  get isEnded(): boolean {
    return this.ended;
  }

  private wake(): void {
    this.waiters.splice(0).forEach((wake) => wake());
  }
}
