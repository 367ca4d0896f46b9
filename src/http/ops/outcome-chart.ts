import type { OutcomeBucket } from '../../services/operations/checkout-outcomes.service';
import { escapeHtml } from './html';

const WIDTH = 720;
const HEIGHT = 220;
const MARGIN = { top: 16, right: 12, bottom: 28, left: 36 };
const COLOURS = { placed: '#2e7d32', failed: '#c62828' } as const;

const hhmm = (date: Date) => date.toISOString().slice(11, 16);

/**
 * The last hour's checkout outcomes as an inline SVG bar chart (placed and
 * failed side by side per five minutes), followed by the same numbers as a
 * table. Presentation attributes only: no script and no inline style, so it
 * renders under the page's strict Content-Security-Policy.
 */
export function outcomeChart(buckets: readonly OutcomeBucket[]): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const top = Math.max(1, ...buckets.flatMap((b) => [b.placed, b.failed]));
  const slot = plotWidth / Math.max(1, buckets.length);
  const barWidth = Math.max(2, slot / 2 - 4);
  const y = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const bars = buckets.map((bucket, i) => {
    const x = MARGIN.left + i * slot + 2;
    const bar = (value: number, offset: number, colour: string, label: string) =>
      `<rect x="${(x + offset).toFixed(1)}" y="${y(value).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(MARGIN.top + plotHeight - y(value)).toFixed(1)}" fill="${colour}">` +
      `<title>${hhmm(bucket.from)} ${label}: ${value}</title></rect>`;
    const tick = i % 3 === 0 ? `<text x="${x.toFixed(1)}" y="${HEIGHT - 8}" font-size="11" fill="#444">${hhmm(bucket.from)}</text>` : '';
    return bar(bucket.placed, 0, COLOURS.placed, 'placed') + bar(bucket.failed, barWidth + 1, COLOURS.failed, 'failed') + tick;
  });
  const axis = `<line x1="${MARGIN.left}" y1="${MARGIN.top + plotHeight}" x2="${WIDTH - MARGIN.right}" y2="${MARGIN.top + plotHeight}" stroke="#888"/>` +
    `<text x="4" y="${MARGIN.top + 10}" font-size="11" fill="#444">${top}</text><text x="4" y="${MARGIN.top + plotHeight}" font-size="11" fill="#444">0</text>`;
  const svg = `<svg role="img" aria-labelledby="chart-title" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="chart-title">Checkout outcomes per five minutes, last hour (UTC)</title>${axis}${bars.join('')}</svg>`;
  const legend = `<p class="legend"><span class="placed">■ placed</span> <span class="failed">■ failed (compensated)</span></p>`;
  const rows = buckets.map((b) => `<tr><td>${escapeHtml(hhmm(b.from))}</td><td>${b.placed}</td><td>${b.failed}</td></tr>`).join('');
  const table = `<table id="outcomes"><thead><tr><th>from (UTC)</th><th>placed</th><th>failed</th></tr></thead><tbody>${rows}</tbody></table>`;
  return `${svg}${legend}<details><summary>Numbers</summary>${table}</details>`;
}
