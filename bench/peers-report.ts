import { PeerName, PeerRow, PeerStreamRow } from './scenarios/peers';

interface PeerTarget {
  name: string;
  goal: string;
  value: (row: PeerRow) => number | undefined;
  unit: string;
  met: (ours: number, floor?: number, portkey?: number) => boolean;
}

const streamsOf = (count: number) => (row: PeerRow) => row.streams.find((each) => each.streams === count);
const stream = (count: number, read: (row: PeerStreamRow) => number | undefined) => (row: PeerRow) => {
  const found = streamsOf(count)(row);
  return found ? read(found) : undefined;
};
const belowBoth = (factor: number) => (ours: number, floor?: number, portkey?: number) =>
  (floor === undefined || ours <= factor * floor) && (portkey === undefined || ours < portkey);

/** Issue 21's targets, each read off the gateway's, the floor's and Portkey's rows of one run. */
const TARGETS: PeerTarget[] = [
  {
    name: 'Relay CPU per chunk (2,000 streams)',
    goal: '≤ 40 µs',
    value: stream(2000, (row) => row.cpuMicrosPerChunk),
    unit: 'µs',
    met: (ours) => ours <= 40,
  },
  {
    name: 'CPU per request (c=64)',
    goal: '≤ 2× floor',
    value: (row) => row.cpuMicrosPerRequest,
    unit: 'µs',
    met: (ours, floor) => floor === undefined || ours <= 2 * floor,
  },
  {
    name: 'Requests/s on one core (c=64)',
    goal: '≥ 3× Portkey',
    value: (row) => row.rps,
    unit: '',
    met: (ours, _floor, portkey) => portkey === undefined || ours >= 3 * portkey,
  },
  { name: 'Spawn to ready', goal: '≤ 1,000 ms', value: (row) => row.readyMs, unit: 'ms', met: (ours) => ours <= 1000 },
  { name: 'Idle RSS', goal: '≤ 100 MB', value: (row) => row.idleRssMb, unit: 'MB', met: (ours) => ours <= 100 },
  {
    name: 'Peak RSS under c=64',
    goal: '≤ 1.5× floor, < Portkey',
    value: (row) => row.throughputPeakRssMb,
    unit: 'MB',
    met: belowBoth(1.5),
  },
  {
    name: 'Added p99 at 200 RPS',
    goal: '≤ floor + 1 ms',
    value: (row) => row.addedP99Ms,
    unit: 'ms',
    met: (ours, floor) => floor === undefined || ours <= floor + 1,
  },
  ...[2000, 5000].flatMap((count): PeerTarget[] => [
    {
      name: `${count.toLocaleString('en-US')} streams: errors`,
      goal: '0',
      value: stream(count, (row) => row.errors),
      unit: '',
      met: (ours) => ours === 0,
    },
    {
      name: `${count.toLocaleString('en-US')} streams: TTFB p99`,
      goal: '≤ floor + 50 ms',
      value: stream(count, (row) => row.ttfbP99Ms),
      unit: 'ms',
      met: (ours, floor) => floor === undefined || ours <= floor + 50,
    },
    {
      name: `${count.toLocaleString('en-US')} streams: inter-chunk gap p99`,
      goal: '≤ floor + 20 ms',
      value: stream(count, (row) => row.gapP99Ms),
      unit: 'ms',
      met: (ours, floor) => floor === undefined || ours <= floor + 20,
    },
    {
      name: `${count.toLocaleString('en-US')} streams: CPU`,
      goal: '≤ 2× floor, < Portkey',
      value: stream(count, (row) => row.cpuSeconds),
      unit: 's',
      met: belowBoth(2),
    },
    {
      name: `${count.toLocaleString('en-US')} streams: peak RSS`,
      goal: '≤ 2× floor, < Portkey',
      value: stream(count, (row) => row.peakRssMb),
      unit: 'MB',
      met: belowBoth(2),
    },
  ]),
];

const format = (value: number | undefined, unit = '') =>
  value === undefined
    ? '—'
    : `${value.toLocaleString('en-US', { maximumFractionDigits: value < 10 ? 2 : 0 })}${unit ? ` ${unit}` : ''}`;

/** The side-by-side tables of the peers scenario: the targets, then every figure of each peer. */
export function peersSection(rows: PeerRow[]): string {
  const of = (name: PeerName) => rows.find((row) => row.name === name);
  const [ours, floor, portkey] = [of('gateway'), of('floor'), of('portkey')];
  const lines = [
    '**Issue 21: gateway, floor and Portkey side by side** (each alone on the measured core; same stand-ins)',
    '',
    '| Target | Goal | Ours | Floor | Portkey | Met? |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const target of TARGETS) {
    const [value, floorValue, portkeyValue] = [ours, floor, portkey].map((row) =>
      row ? target.value(row) : undefined,
    );
    const met = value === undefined ? 'not run' : target.met(value, floorValue, portkeyValue) ? 'yes' : '**no**';
    lines.push(
      `| ${target.name} | ${target.goal} | ${format(value, target.unit)} | ${format(floorValue)} | ${format(portkeyValue)} | ${met} |`,
    );
  }
  lines.push(
    '',
    '| peer | ready ms | idle RSS MB | RPS c=64 | CPU µs/req | peak RSS c=64 MB | added p50 / p99 ms at 200 RPS |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| ${row.name} | ${format(row.readyMs)} | ${format(row.idleRssMb)} | ${format(row.rps)} | ${format(row.cpuMicrosPerRequest)} | ${format(row.throughputPeakRssMb)} | ${format(row.addedP50Ms)} / ${format(row.addedP99Ms)} |`,
    ),
    '',
    '| peer | streams | errors | TTFB p99 ms | gap p99 ms | CPU s | µs / chunk | peak RSS MB |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.flatMap((row) =>
      row.streams.map(
        (each) =>
          `| ${row.name} | ${format(each.streams)} | ${each.errors} | ${format(each.ttfbP99Ms)} | ${format(each.gapP99Ms)} | ${format(each.cpuSeconds)} | ${format(each.cpuMicrosPerChunk)} | ${format(each.peakRssMb)} |`,
      ),
    ),
  );
  return lines.join('\n');
}
