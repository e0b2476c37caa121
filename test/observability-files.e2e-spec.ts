import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startGateway, TestGateway } from './helpers/gateway';

const ROOT = join(__dirname, '..');
const OBSERVABILITY = join(ROOT, 'deploy/observability');
const CHART_FILES = join(ROOT, 'deploy/helm/ai-gateway/files');
const SOURCES = ['apps', 'libs'].map((folder) => join(ROOT, folder));

/** PromQL words that are not metric names: functions, aggregations, keywords, Grafana variables. */
const PROMQL_WORDS = new Set([
  ...['sum', 'min', 'max', 'avg', 'count', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile', 'count_values', 'group'],
  ...['rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'histogram_quantile', 'abs', 'clamp_min', 'clamp_max'],
  ...['absent', 'absent_over_time', 'avg_over_time', 'max_over_time', 'min_over_time', 'sum_over_time', 'label_values'],
  ...['changes', 'resets', 'time', 'vector', 'scalar', 'sort', 'sort_desc', 'round', 'ceil', 'floor', 'predict_linear'],
  ...['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset'],
]);

/** Metric names an expression reads: label matchers, groupings, strings, ranges, numbers and functions removed. */
export function metricNamesIn(expression: string): string[] {
  const stripped = expression
    .replace(/"(?:[^"\\]|\\.)*"/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\$\w+/g, ' ');
  const words = stripped.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  return [...new Set(words.filter((word) => !PROMQL_WORDS.has(word) && !/^\d/.test(word) && !/^[eE]\d/.test(word)))];
}

/** `name: 'metric_name'` inside `new Counter/Gauge/Histogram/Summary({...})` anywhere in apps/ and libs/. */
function metricsRegisteredInCode(): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (path: string) => {
    if (statSync(path).isDirectory()) return readdirSync(path).forEach((entry) => visit(join(path, entry)));
    if (!path.endsWith('.ts') || path.endsWith('.spec.ts')) return;
    const text = readFileSync(path, 'utf8');
    for (const match of text.matchAll(
      /new (Counter|Gauge|Histogram|Summary)(?:<[^>]*>)?\(\{\s*name: '([a-zA-Z_:][\w:]*)'/g,
    )) {
      found.set(match[2], match[1].toLowerCase());
    }
  };
  SOURCES.forEach(visit);
  return found;
}

/** Every series name Prometheus can see: each `# TYPE` of /metrics and each metric registered in code. */
function seriesNames(metricsText: string): Set<string> {
  const types = metricsRegisteredInCode();
  for (const [, name, type] of metricsText.matchAll(/^# TYPE (\S+) (\S+)$/gm)) types.set(name, type);
  const names = new Set<string>();
  for (const [name, type] of types) {
    names.add(name);
    if (type === 'histogram') ['_bucket', '_sum', '_count'].forEach((suffix) => names.add(name + suffix));
    if (type === 'summary') ['_sum', '_count'].forEach((suffix) => names.add(name + suffix));
  }
  return names;
}

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

const dashboard = JSON.parse(readFileSync(join(OBSERVABILITY, 'grafana-dashboard.json'), 'utf8'));
const alerts = parse(readFileSync(join(OBSERVABILITY, 'prometheus-alerts.yaml'), 'utf8')) as {
  groups: Array<{ name: string; rules: Rule[] }>;
};
const panels = (dashboard.panels as Array<Record<string, any>>).filter((panel) => panel.type !== 'row');
const rules = alerts.groups.flatMap((group) => group.rules);

/** Issue 20: the shipped dashboard and alert rules, checked against what the gateway exports. */
describe('deploy/observability', () => {
  let gateway: TestGateway;
  let known: Set<string>;

  beforeAll(async () => {
    gateway = await startGateway();
    known = seriesNames(await (await fetch(gateway.metricsUrl)).text());
  });
  afterAll(() => gateway.close());

  it('reads metric names out of PromQL', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.95, sum by (le, handler) (rate(http_request_duration_seconds_bucket{job=~"$job",status="5xx"}[$__rate_interval]))) > 1e3',
      ),
    ).toEqual(['http_request_duration_seconds_bucket']);
    expect(metricNamesIn('min by (origin) (auth_key_source_up) == 0 or vector(0)')).toEqual(['auth_key_source_up']);
  });

  it('ships a Grafana dashboard whose every panel has a query', () => {
    expect(dashboard).toMatchObject({ uid: 'ai-gateway', title: 'AI Gateway', schemaVersion: expect.any(Number) });
    expect(panels.length).toBeGreaterThanOrEqual(10);
    for (const panel of panels) {
      expect(panel.targets.length).toBeGreaterThan(0);
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
    }
    expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
  });

  it('ships alert rules with an expression, a duration, a severity and a summary', () => {
    expect(rules.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'AIGatewayHighErrorRate',
        'AIGatewayHighLatency',
        'AIGatewayModelEndpointDown',
        'AIGatewayKeySourceUnreachable',
        'AIGatewayEventLoopSaturated',
      ]),
    );
    for (const rule of rules) {
      expect(rule.expr.trim()).not.toBe('');
      expect(rule.for).toMatch(/^\d+[smh]$/);
      expect(['warning', 'critical']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toBeTruthy();
    }
  });

  it.each([
    ...panels.flatMap((panel) =>
      panel.targets.map((target: { expr: string }) => [`panel "${panel.title}"`, target.expr] as const),
    ),
    ...rules.map((rule) => [`alert ${rule.alert}`, rule.expr] as const),
    ...dashboard.templating.list
      .filter((variable: { type: string }) => variable.type === 'query')
      .map((variable: { name: string; definition: string }) => [
        `variable $${variable.name}`,
        // label_values(<series>, <label>): only the series is a metric name.
        variable.definition.replace(/^label_values\(([^,)]+).*$/, '$1'),
      ]),
  ])('%s uses only metrics the gateway exports', (_what, expression) => {
    expect(known.has('model_inferences_total_made_up')).toBe(false);
    const names = metricNamesIn(expression as string);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !known.has(name))).toEqual([]);
  });

  it('keeps the Helm chart’s copies identical to deploy/observability', () => {
    for (const file of ['grafana-dashboard.json', 'prometheus-alerts.yaml']) {
      expect(readFileSync(join(CHART_FILES, file), 'utf8')).toBe(readFileSync(join(OBSERVABILITY, file), 'utf8'));
    }
  });
});
