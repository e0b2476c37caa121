import { parseRoutes } from './routes-file';
import { RoutesFileError } from './routes-source';

const VALID = `
pools:
  codestral:
    family: codestral
    health_check:
      path: /health
      interval_s: 5
    backends:
      - name: vllm-a
        url: http://vllm-a:8000/v1/
        weight: 2
      - url: http://vllm-b:8000/v1
        api_key: sk-backend-secret
  small:
    family: mistral
    backends:
      - name: mistral
        url: http://mistral:8000/v1
        model: mistralai/Mistral-7B
routes:
  - name: codestral
    match:
      endpoint: http://vllm:8000/v1/
      family: codestral
    pool: codestral
    fallbacks: [small]
`;

/** The problems `text` is refused for. */
function problemsOf(text: string): string[] {
  try {
    parseRoutes(text, 'routes.yaml');
  } catch (error) {
    if (error instanceof RoutesFileError) return error.problems;
    throw error;
  }
  throw new Error('expected the routes file to be refused');
}

describe(parseRoutes.name, () => {
  it('reads pools, backends and routes, with the defaults filled in', () => {
    const config = parseRoutes(VALID, 'routes.yaml');
    const pool = config.pools.get('codestral')!;
    expect(pool.backends).toEqual([
      { name: 'vllm-a', url: 'http://vllm-a:8000/v1', weight: 2, apiKey: undefined, model: undefined },
      { name: 'vllm-b:8000', url: 'http://vllm-b:8000/v1', weight: 1, apiKey: 'sk-backend-secret', model: undefined },
    ]);
    expect(pool).toMatchObject({
      family: 'codestral',
      balance: 'least_outstanding',
      healthCheck: { path: '/health', intervalS: 5, timeoutS: 2, unhealthyThreshold: 2, healthyThreshold: 2 },
      ejection: { consecutiveFailures: 3, baseS: 10, maxS: 300 },
      retry: { maxAttempts: 3, budgetRatio: 0.2, minRetries: 10 },
      affinity: { loadFactor: 1.25, prefixChars: 2048 },
    });
    expect(config.pools.get('small')!.backends[0].model).toBe('mistralai/Mistral-7B');
    expect(config.routes).toEqual([
      {
        name: 'codestral',
        match: { endpoint: 'http://vllm:8000/v1', host: undefined, family: 'codestral' },
        pool: 'codestral',
        fallbacks: ['small'],
      },
    ]);
  });

  it('reads the same file written as JSON', () => {
    const json = JSON.stringify({
      pools: { p: { backends: [{ url: 'http://a:1/v1' }] } },
      routes: [{ match: { host: 'VLLM' }, pool: 'p' }],
    });
    expect(parseRoutes(json, 'routes.json').routes).toEqual([
      { name: 'route-1', match: { endpoint: undefined, host: 'vllm', family: undefined }, pool: 'p', fallbacks: [] },
    ]);
  });

  it('names the line and the field of each problem', () => {
    const text = VALID.replace('url: http://vllm-a:8000/v1/', 'url: ftp://vllm-a')
      .replace('weight: 2', 'weight: -1')
      .replace('fallbacks: [small]', 'fallbacks: [tiny]')
      .replace('interval_s: 5', 'intervall_s: 5');
    expect(problemsOf(text)).toEqual([
      'line 7: pools.codestral.health_check.intervall_s is not a known field (known: path, interval_s, timeout_s, unhealthy_threshold, healthy_threshold)',
      'line 10: pools.codestral.backends[0].url must be an http(s) URL',
      'line 11: pools.codestral.backends[0].weight must be a number from 0 to 1000',
      'line 26: routes[0].fallbacks[0] names no pool: tiny',
    ]);
  });

  it('reports a missing field at the line of the mapping that lacks it', () => {
    expect(problemsOf('pools:\n  p:\n    backends:\n      - name: a\nroutes:\n  - match: {family: x}\n')).toEqual([
      'line 4: pools.p.backends[0].url is required',
      'line 6: routes[0].pool is required',
    ]);
  });

  it('refuses a route that matches nothing, an unknown policy and repeated names', () => {
    const text = [
      'pools:',
      '  p:',
      '    balance: random',
      '    backends: [{name: a, url: "http://a:1"}, {name: a, url: "http://b:1"}]',
      'routes:',
      '  - {name: r, match: {}, pool: p}',
      '  - {name: r, match: {family: x}, pool: p, fallbacks: [p]}',
    ].join('\n');
    expect(problemsOf(text)).toEqual([
      'line 3: pools.p.balance must be one of least_outstanding, prefix_affinity',
      'line 4: pools.p.backends[1].name repeats a',
      'line 6: routes[0].match must name an endpoint, a host or a family',
      'line 7: routes[1].fallbacks[0] repeats pool p',
      'line 7: routes[1].name repeats r',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(problemsOf('pools:\n  p: [1, 2\nroutes: []\n')).toEqual([expect.stringMatching(/^line 3: /)]);
  });

  it('never repeats an API key in its messages', () => {
    const text = VALID.replace('api_key: sk-backend-secret', 'api_key: "sk-backend-secret\\u0001"');
    const problems = problemsOf(text);
    expect(problems).toEqual([
      'line 13: pools.codestral.backends[1].api_key must contain only printable ASCII characters',
    ]);
    expect(problems.join()).not.toContain('sk-backend-secret');
  });

  it('refuses credentials in a backend URL', () => {
    expect(problemsOf(VALID.replace('http://vllm-b:8000/v1', 'http://user:pw@vllm-b:8000/v1'))).toEqual([
      'line 12: pools.codestral.backends[1].url must not contain credentials (use api_key)',
    ]);
  });

  it('needs pools and routes', () => {
    expect(problemsOf('')).toEqual(['line 1: pools is required', 'line 1: routes is required']);
  });
});
