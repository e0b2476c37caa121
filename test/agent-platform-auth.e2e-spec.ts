import { generateKeyPairSync, KeyObject, verify } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Client,
  credentials,
  loadPackageDefinition,
  Metadata,
  ServiceError,
  status as GrpcStatus,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { FakeExecutor, FakeGitLab } from './fakes/gitlab-executor';
import { FakeOidcProvider } from './fakes/oidc-provider';
import { OpenAiFake, startOpenAiFake } from './fakes/openai-compatible.server';
import { startGateway, TestGateway } from './helpers/gateway';
import { duoWorkflowClient } from './helpers/grpc-clients';
import { GLOBAL_USER_ID, INSTANCE_ID, REALM, toMetadata, workflowAuthHeaders } from './helpers/tokens';
import { WorkflowStream } from './helpers/workflow-stream';

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }) as string;
const SERVICE = 'gitlab-duo-workflow-service';

type Unary = (request: object, metadata: Metadata, callback: (error: ServiceError | null, reply?: any) => void) => void;

function unary(client: Client, method: string, request: object, metadata: Metadata): Promise<any> {
  const call = (client as unknown as Record<string, Unary>)[method].bind(client);
  return new Promise((resolve, reject) =>
    call(request, metadata, (error, reply) => (error ? reject(error) : resolve(reply))),
  );
}

function claimsOf(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

/** agent-platform.md §5 and §9 checks 2, 3, 7, 8, 10, 27 with real tokens. */
describe('DuoWorkflow authentication, authorisation and unary RPCs', () => {
  const signingKey = rsa();
  let gitlab: FakeOidcProvider;
  let model: OpenAiFake;
  let gateway: TestGateway;
  let client: Client;
  const metadataFor = (scopes: string[]) =>
    toMetadata({ ...workflowAuthHeaders(gitlab, scopes), 'x-gitlab-version': '18.9.0' });

  beforeAll(async () => {
    [gitlab, model] = await Promise.all([FakeOidcProvider.start(), startOpenAiFake()]);
    gateway = await startGateway({
      AIGW_GITLAB_URL: gitlab.issuer,
      DUO_WORKFLOW_SELF_SIGNED_JWT__SIGNING_KEY: pem(signingKey.privateKey),
      DUO_WORKFLOW_SELF_SIGNED_JWT__VALIDATION_KEY: pem(rsa().privateKey),
    });
    client = duoWorkflowClient(gateway.grpcAddress);
  });
  afterAll(async () => {
    client.close();
    await gateway.close();
    await Promise.all([gitlab.close(), model.close()]);
  });

  it.each(['GenerateToken', 'ListTools', 'ListFlows', 'ListCapabilities', 'ValidateFlowConfig'])(
    'answers %s without authorization with UNAUTHENTICATED (§9.3)',
    async (method) => {
      await expect(unary(client, method, {}, new Metadata())).rejects.toMatchObject({
        code: GrpcStatus.UNAUTHENTICATED,
        details: 'No authorization header presented',
      });
    },
  );

  it('answers ExecuteWorkflow without authorization, or with a bad token, with UNAUTHENTICATED (§9.3, §9.5)', async () => {
    const anonymous = new WorkflowStream(gateway.grpcAddress, new Metadata());
    expect(await anonymous.status).toMatchObject({
      code: GrpcStatus.UNAUTHENTICATED,
      details: 'No authorization header presented',
    });
    const metadata = metadataFor(['duo_chat']);
    metadata.set('authorization', 'Bearer not.a.token');
    const forged = new WorkflowStream(gateway.grpcAddress, metadata);
    expect(await forged.status).toMatchObject({
      code: GrpcStatus.UNAUTHENTICATED,
      details: 'Forbidden by auth provider',
    });
  });

  it('refuses chat without duo_chat and allows other workflows with the legacy primitive (§9.10)', async () => {
    const chat = new WorkflowStream(gateway.grpcAddress, metadataFor(['duo_workflow_execute_workflow']));
    chat.send({ startRequest: { workflowID: '42', goal: 'hi', workflowDefinition: 'chat' } });
    expect(await chat.status).toMatchObject({
      code: GrpcStatus.PERMISSION_DENIED,
      details: 'Unauthorized to execute chat',
    });

    const workflow = new WorkflowStream(gateway.grpcAddress, metadataFor(['duo_workflow_execute_workflow']));
    workflow.send({ startRequest: { workflowID: '42', goal: 'hi', workflowDefinition: 'software_development' } });
    expect((await workflow.waitFor((action) => action.action === 'runHTTPRequest'))?.runHTTPRequest.path).toBe(
      '/api/graphql',
    );
    workflow.cancel();
  });

  it('issues a workflow token that verifies and opens a stream (§9.7, §5.4)', async () => {
    const reply = await unary(
      client,
      'GenerateToken',
      { workflowDefinition: 'chat' },
      metadataFor(['duo_agent_platform', 'duo_chat', 'include_file_context', 'unknown_scope']),
    );
    expect(reply.server_capabilities).toContain('tool_call_approval');
    const [header, payload, signature] = reply.token.split('.');
    expect(
      verify('sha256', Buffer.from(`${header}.${payload}`), signingKey.publicKey, Buffer.from(signature, 'base64url')),
    ).toBe(true);
    const claims = claimsOf(reply.token);
    expect(claims).toMatchObject({
      iss: SERVICE,
      aud: SERVICE,
      sub: GLOBAL_USER_ID,
      gitlab_realm: REALM,
      gitlab_instance_id: INSTANCE_ID,
    });
    expect(claims.scopes).toEqual(['duo_agent_platform', 'duo_chat', 'include_file_context']);
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(3600);
    expect(Number(reply.expiresAt)).toBe(claims.exp);

    const metadata = metadataFor([]);
    metadata.set('authorization', `Bearer ${reply.token}`);
    metadata.set(
      'x-gitlab-agent-platform-model-metadata',
      JSON.stringify({ provider: 'custom_openai', name: 'm', endpoint: model.url }),
    );
    model.script({ text: 'Hello!' });
    const stream = new WorkflowStream(gateway.grpcAddress, metadata);
    new FakeExecutor(stream, new FakeGitLab(), mkdtempSync(join(tmpdir(), 'workflow-')));
    stream.send({ startRequest: { workflowID: '42', goal: 'hi', workflowDefinition: 'chat' } });
    expect(await stream.status).toMatchObject({ code: GrpcStatus.OK, details: 'workflow execution success' });

    await expect(unary(client, 'GenerateToken', {}, metadata)).rejects.toMatchObject({
      code: GrpcStatus.PERMISSION_DENIED,
      details: 'Unauthorized to generate token',
    });
  });

  it('acknowledges TrackSelfHostedExecuteWorkflow events by request id', async () => {
    const call = (client as any).TrackSelfHostedExecuteWorkflow(metadataFor(['duo_agent_platform']));
    const acks: string[] = [];
    call.on('data', (ack: { requestID: string }) => acks.push(ack.requestID));
    const ended = new Promise((resolve) => call.on('status', resolve));
    call.on('error', () => undefined);
    call.write({ requestID: 'r1', workflowID: '42', featureQualifiedName: 'chat' });
    call.write({ requestID: 'r2', workflowID: '42', featureQualifiedName: 'chat' });
    call.end();
    expect(await ended).toMatchObject({ code: GrpcStatus.OK });
    expect(acks).toEqual(['r1', 'r2']);
  });

  it('lists tools, flows and capabilities and validates flow configs (§9.27)', async () => {
    const metadata = metadataFor(['duo_agent_platform']);
    const tools = await unary(client, 'ListTools', {}, metadata);
    expect(tools.tools.length).toBeGreaterThan(5);
    for (const tool of tools.tools) expect(tool.fields.type).toMatchObject({ stringValue: 'function' });
    const flows = await unary(client, 'ListFlows', { filters: { environment: ['chat-partial'] } }, metadata);
    expect(flows.configs.map((config: any) => config.fields.flow_identifier.stringValue)).toEqual([
      'duo_planner',
      'security_analyst_agent',
    ]);
    const capabilities = await unary(client, 'ListCapabilities', {}, metadata);
    expect(capabilities.capabilities.map((capability: { name: string }) => capability.name)).toEqual([
      'tool_call_approval',
      'tool_call_pattern_approval',
      'flow_semantic_versioning',
    ]);
    expect(await unary(client, 'ValidateFlowConfig', {}, metadata)).toEqual({
      valid: false,
      errors: ['Missing required field: flow_config'],
    });
  });

  it('serves reflection only when enabled, naming DuoWorkflow and the health service as clients ask for them (§9.2)', async () => {
    const reflect = (address: string, request: Record<string, string>) =>
      new Promise<{ code?: number; reply?: any }>((resolve) => {
        const reflection = loadSync(
          require.resolve('@grpc/reflection/build/proto/grpc/reflection/v1alpha/reflection.proto'),
          { keepCase: true },
        );
        const Service = (loadPackageDefinition(reflection) as any).grpc.reflection.v1alpha.ServerReflection;
        const stub = new Service(address, credentials.createInsecure());
        const call = stub.ServerReflectionInfo();
        call.on('data', (reply: any) => {
          resolve({ reply });
          call.end();
        });
        call.on('error', (error: ServiceError) => resolve({ code: error.code }));
        call.write(request);
      });
    expect(await reflect(gateway.grpcAddress, { list_services: '' })).toEqual({ code: GrpcStatus.UNIMPLEMENTED });
    const withReflection = await startGateway({
      DUO_WORKFLOW_AUTH__ENABLED: 'false',
      DUO_WORKFLOW_GRPC_REFLECTION_ENABLED: 'true',
    });
    try {
      const { reply } = await reflect(withReflection.grpcAddress, { list_services: '' });
      const names = reply.list_services_response.service.map((service: any) => service.name);
      expect(names).toEqual(expect.arrayContaining(['DuoWorkflow', 'grpc.health.v1.Health']));
      expect(names.filter((name: string) => name.startsWith('.'))).toEqual([]);
      for (const symbol of ['DuoWorkflow', 'grpc.health.v1.Health']) {
        const described = await reflect(withReflection.grpcAddress, { file_containing_symbol: symbol });
        expect(described.reply.file_descriptor_response.file_descriptor_proto.length).toBeGreaterThan(0);
      }
    } finally {
      await withReflection.close();
    }
  });
});
