import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { ModelsOptions } from '../models-options';
import { BackendProbe } from './backend-probe';
import { ModelRoutes } from './model-routes';
import { PoolMetrics } from './pool-metrics';

const ROUTES = `
pools:
  exact: {backends: [{url: "http://e1:8000/v1"}]}
  by-host: {backends: [{url: "http://h1:8000/v1"}]}
  codestral: {backends: [{url: "http://c1:8000/v1"}]}
  spare: {backends: [{url: "http://s1:8000/v1"}]}
routes:
  - {name: exact, match: {endpoint: "http://vllm:8000/v1/"}, pool: exact, fallbacks: [spare]}
  - {name: host, match: {host: "gpu.internal"}, pool: by-host}
  - {name: family, match: {host: "shared:9000", family: codestral}, pool: codestral}
`;

describe(ModelRoutes.name, () => {
  const folder = mkdtempSync(join(tmpdir(), 'aigw-model-routes-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const routesWith = (routesFile?: string) =>
    new ModelRoutes({ routesFile } as ModelsOptions, {} as BackendProbe, new PoolMetrics(new Registry()));
  const file = join(folder, 'routes.yaml');
  writeFileSync(file, ROUTES);
  const routes = routesWith(file);
  const target = (apiBase?: string) => ({ provider: 'custom_openai', model: 'm', apiBase });

  it('matches the exact endpoint, ignoring a trailing slash, and lists the fallbacks after the pool', () => {
    const plan = routes.plan(target('http://vllm:8000/v1'), 'mistral');
    expect(plan?.route).toBe('exact');
    expect(plan?.pools.map((pool) => pool.name)).toEqual(['exact', 'spare']);
    expect(routes.plan(target('http://vllm:8000/v1/'), undefined)?.route).toBe('exact');
    expect(routes.plan(target('http://vllm:8000/v2'), undefined)).toBeUndefined();
  });

  it('matches a host with or without its port', () => {
    expect(routes.plan(target('https://gpu.internal:8443/v1'), undefined)?.route).toBe('host');
    expect(routes.poolOf(target('http://gpu.internal/v1'), 'codestral')).toBe('by-host');
  });

  it('needs every field of a match: host and family together', () => {
    expect(routes.poolOf(target('http://shared:9000/v1'), 'codestral')).toBe('codestral');
    expect(routes.poolOf(target('http://shared:9000/v1'), 'mistral')).toBeUndefined();
    expect(routes.poolOf(target('http://shared:9001/v1'), 'codestral')).toBeUndefined();
  });

  it('leaves targets without an endpoint, and every target without a routes file, alone', () => {
    expect(routes.plan(target(undefined), 'codestral')).toBeUndefined();
    expect(routesWith(undefined).plan(target('http://vllm:8000/v1'), undefined)).toBeUndefined();
  });

  it('refuses to start on an invalid file', () => {
    const bad = join(folder, 'bad.yaml');
    writeFileSync(bad, 'pools: {}\nroutes: []\n');
    expect(() => routesWith(bad)).toThrow('line 1: pools must declare at least one pool');
  });
});
