import { SlotPoint } from './status-view';

const WIDTH = 240;
const HEIGHT = 48;

/**
 * Calls per 10 s as bars (errors in red on top) and p95 latency as a line, over the last 5 minutes: an
 * inline SVG, so the page needs no script and no second request.
 */
export function trendChart(points: SlotPoint[], label: string): string {
  const maxCalls = Math.max(1, ...points.map((point) => point.calls));
  const maxLatency = Math.max(1, ...points.map((point) => point.p95Ms ?? 0));
  const step = WIDTH / Math.max(1, points.length);
  const bars = points
    .map((point, index) => {
      const x = (index * step + 0.5).toFixed(1);
      const width = Math.max(1, step - 1).toFixed(1);
      const callHeight = (point.calls / maxCalls) * (HEIGHT - 2);
      const errorHeight = (point.errors / maxCalls) * (HEIGHT - 2);
      return (
        `<rect x="${x}" y="${(HEIGHT - callHeight).toFixed(1)}" width="${width}" height="${callHeight.toFixed(1)}" class="calls"/>` +
        (point.errors > 0
          ? `<rect x="${x}" y="${(HEIGHT - errorHeight).toFixed(1)}" width="${width}" height="${errorHeight.toFixed(1)}" class="errors"/>`
          : '')
      );
    })
    .join('');
  const line = points
    .map((point, index) =>
      point.p95Ms === undefined
        ? undefined
        : `${(index * step + step / 2).toFixed(1)},${(HEIGHT - (point.p95Ms / maxLatency) * (HEIGHT - 4) - 2).toFixed(1)}`,
    )
    .filter((coordinate) => coordinate !== undefined)
    .join(' ');
  return (
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${label}">` +
    `${bars}${line ? `<polyline points="${line}" class="latency"/>` : ''}</svg>`
  );
}
