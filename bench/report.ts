import { AuthenticationCost } from './auth-verify.bench';
import { peersSection } from './peers-report';
import { AddedLatencyRow } from './scenarios/added-latency';
import { DocsSearchRow, docsSearchSection } from './scenarios/docs-search';
import { LongStreamRow } from './scenarios/long-streams';
import { PeerRow } from './scenarios/peers';
import { StartupRow } from './scenarios/startup';
import { ThroughputRow } from './scenarios/throughput';
import { WorkflowRow } from './scenarios/workflows';

export interface BenchResults {
  date: string;
  commit: string;
  command: string;
  machine: { cores: number; cpu: string; memoryGiB: number; node: string };
  auth?: AuthenticationCost[];
  startup?: StartupRow;
  addedLatency?: AddedLatencyRow[];
  throughput?: ThroughputRow[];
  longStreams?: LongStreamRow[];
  workflows?: WorkflowRow[];
  docsSearch?: DocsSearchRow;
  peers?: PeerRow[];
  notes: string[];
}

interface Target {
  name: string;
  goal: string;
  measured: number | undefined;
  unit: string;
  met: (value: number) => boolean;
}

/** The targets of issue 9, read off the results; a scenario that did not run shows as not measured. */
function targets(results: BenchResults): Target[] {
  const at500 = results.addedLatency?.find((row) => row.rate === 500);
  const workers = (count: number) => results.throughput?.find((row) => row.workers === count)?.rps;
  const streams = results.longStreams?.find((row) => row.streams === 5000);
  return [
    {
      name: 'Added latency p50 at 500 RPS',
      goal: '≤ 0.5 ms',
      measured: at500?.addedP50Ms,
      unit: 'ms',
      met: (v) => v <= 0.5,
    },
    {
      name: 'Added latency p99 at 500 RPS',
      goal: '≤ 2 ms',
      measured: at500?.addedP99Ms,
      unit: 'ms',
      met: (v) => v <= 2,
    },
    { name: 'Completions, 1 worker', goal: '≥ 2,000 RPS', measured: workers(1), unit: 'RPS', met: (v) => v >= 2000 },
    {
      name: 'Completions, `AIGW_WORKERS=2`',
      goal: '≥ 3,000 RPS',
      measured: workers(2),
      unit: 'RPS',
      met: (v) => v >= 3000,
    },
    { name: '5,000 streams: errors', goal: '0', measured: streams?.errors, unit: '', met: (v) => v === 0 },
    {
      name: '5,000 streams: inter-chunk p99 (beyond 200 ms)',
      goal: '≤ 50 ms',
      measured: streams?.interChunkExcessP99Ms,
      unit: 'ms',
      met: (v) => v <= 50,
    },
    {
      name: '5,000 streams: peak RSS',
      goal: '≤ 1,024 MB',
      measured: streams?.peakRssMb,
      unit: 'MB',
      met: (v) => v <= 1024,
    },
    {
      name: 'Spawn to ready',
      goal: '≤ 1,000 ms',
      measured: results.startup?.readyMs,
      unit: 'ms',
      met: (v) => v <= 1000,
    },
    {
      name: 'Idle RSS (one worker)',
      goal: '≤ 100 MB',
      measured: results.startup?.idleRssMb,
      unit: 'MB',
      met: (v) => v <= 100,
    },
  ];
}

const number = (value: number) =>
  Number.isInteger(value) || Math.abs(value) >= 100 ? Math.round(value).toLocaleString('en') : value.toFixed(2);

function table(head: string[], rows: Array<Array<string | number>>): string {
  const cell = (value: string | number) => (typeof value === 'number' ? number(value) : value);
  return [head, head.map(() => '---'), ...rows.map((row) => row.map(cell))]
    .map((row) => `| ${row.join(' | ')} |`)
    .join('\n');
}

/** One dated section for docs/benchmarks.md. */
export function markdownSection(results: BenchResults): string {
  const { machine } = results;
  const parts = [
    `## ${results.date.slice(0, 16).replace('T', ' ')} UTC — ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`,
    `\`${results.command}\` at \`${results.commit}\`; ${machine.cpu}. Load generator, model stand-in and gateway share the machine.`,
    table(
      ['Target', 'Goal', 'Measured', ''],
      targets(results).map((target) => [
        target.name,
        target.goal,
        target.measured === undefined ? 'not run' : `${number(target.measured)} ${target.unit}`.trim(),
        target.measured === undefined ? '' : target.met(target.measured) ? 'met' : '**missed**',
      ]),
    ),
  ];
  if (results.peers) parts.push(peersSection(results.peers));
  if (results.addedLatency) {
    parts.push(
      '**1. Added latency** (60 ms model, fixed rate; ms)',
      table(
        ['RPS', 'direct p50', 'direct p99', 'gateway p50', 'gateway p99', 'added p50', 'added p99', 'errors'],
        results.addedLatency.map((row) => [
          row.rate,
          row.directP50Ms,
          row.directP99Ms,
          row.gatewayP50Ms,
          row.gatewayP99Ms,
          row.addedP50Ms,
          row.addedP99Ms,
          row.errors,
        ]),
      ),
    );
  }
  if (results.throughput) {
    parts.push(
      '**2. Throughput** (0 ms model, closed loop; cores = average CPU use of each party)',
      table(
        [
          'workers',
          'RPS',
          'CPU µs / request',
          'p50 ms',
          'p99 ms',
          'errors',
          'gateway cores',
          'model cores',
          'load generator cores',
        ],
        results.throughput.map((row) => [
          row.workers,
          row.rps,
          row.cpuMicrosPerRequest,
          row.p50Ms,
          row.p99Ms,
          row.errors,
          row.gatewayCores,
          row.upstreamCores,
          row.loadGeneratorCores,
        ]),
      ),
    );
  }
  if (results.longStreams) {
    parts.push(
      '**3. Long streams** (25 chunks over 5 s each, opened over 1 s)',
      table(
        ['streams', 'errors', 'TTFB p99 ms', 'inter-chunk p99 beyond 200 ms', 'peak RSS MB', 'CPU s', 'gateway cores'],
        results.longStreams.map((row) => [
          row.streams,
          row.errors,
          row.ttfbP99Ms,
          row.interChunkExcessP99Ms,
          row.peakRssMb,
          row.cpuSeconds,
          row.gatewayCores,
        ]),
      ),
    );
  }
  if (results.startup) {
    parts.push(
      `**4. Start-up**: ready in ${number(results.startup.readyMs)} ms, idle RSS ${number(results.startup.idleRssMb)} MB.`,
    );
  }
  if (results.workflows) {
    parts.push(
      '**5. `ExecuteWorkflow` chats** (one `read_file` action each, 0 ms model; round trip = answered action to next action)',
      table(
        [
          'concurrent',
          'errors',
          'chat p50 ms',
          'chat p99 ms',
          'round trip p50 ms',
          'round trip p99 ms',
          'chats / s',
          'CPU ms / chat',
        ],
        results.workflows.map((row) => [
          row.concurrency,
          row.errors,
          row.chatP50Ms,
          row.chatP99Ms,
          row.roundTripP50Ms,
          row.roundTripP99Ms,
          row.chatsPerSecond,
          row.cpuMsPerChat,
        ]),
      ),
    );
  }
  if (results.docsSearch) parts.push(docsSearchSection(results.docsSearch));
  if (results.auth) {
    parts.push(
      '**Authentication** (in-process, µs per request)',
      table(
        ['token', 'µs'],
        results.auth.map((row) => [row.case, row.microsPerAuthentication]),
      ),
    );
  }
  if (results.notes.length > 0) parts.push(results.notes.map((note) => `- ${note}`).join('\n'));
  return `${parts.join('\n\n')}\n`;
}
