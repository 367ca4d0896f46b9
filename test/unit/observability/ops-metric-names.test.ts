import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { registry } from '../../../src/observability/metrics';
import { projectRoot } from '../../../src/project-root';

const ALERTS = join(projectRoot(), 'ops/prometheus/alerts.yml');
const DASHBOARD = join(projectRoot(), 'ops/grafana/tillgate.json');

/** The `expr:` values of a rules file: inline, or the indented block under `expr: |`. */
export function ruleExpressions(yamlText: string): string[] {
  const lines = yamlText.split('\n');
  const expressions: string[] = [];
  lines.forEach((line, index) => {
    const match = /^(\s*)(?:- )?expr:\s*(.*)$/.exec(line);
    if (!match) return;
    if (!/^[|>]/.test(match[2])) {
      expressions.push(match[2].replace(/^["']|["']$/g, ''));
      return;
    }
    const block: string[] = [];
    for (const next of lines.slice(index + 1)) {
      if (next.trim() !== '' && next.search(/\S/) <= match[1].length) break;
      block.push(next);
    }
    expressions.push(block.join('\n'));
  });
  return expressions;
}

const PROMQL_WORDS = new Set([
  'by',
  'without',
  'and',
  'or',
  'unless',
  'offset',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'inf',
  'nan',
  // Aggregation operators may stand before `by (...)` instead of their parenthesis.
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
]);

/** Metric names a PromQL expression reads: identifiers outside label matchers and strings, not functions, keywords or durations. */
export function metricNamesIn(expression: string): string[] {
  const bare = expression
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '[]');
  const names = new Set<string>();
  for (const match of bare.matchAll(/(?<![\w:.$])([a-zA-Z_:][\w:]*)(?!\w)(\s*\()?/g)) {
    const [, name, call] = match;
    if (call || PROMQL_WORDS.has(name.toLowerCase())) continue;
    // Grouping labels: `by (a, b)` / `without (...)`.
    const before = bare.slice(0, match.index).replace(/\s+$/, '');
    if (/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*$/i.test(before)) continue;
    names.add(name);
  }
  return [...names];
}

function dashboardExpressions(): string[] {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: { targets?: { expr: string }[] }[] };
  return dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
}

async function exportedSeriesNames(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const metric of await registry.getMetricsAsJSON()) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(metric.name + suffix);
  }
  return names;
}

/** The alert rules and the dashboard read series the code exports: a rename on either side fails here, not in production. */
describe('ops metric names', () => {
  it('when the expressions are read, then the name finder sees metrics and skips functions, labels, keywords and durations', () => {
    expect(metricNamesIn('histogram_quantile(0.99, sum by (le) (rate(checkout_confirm_duration_seconds_bucket{payment_kind="CARD"}[5m]))) > 1').sort()).toEqual(
      ['checkout_confirm_duration_seconds_bucket'],
    );
    expect(metricNamesIn('time() - max(ops_gauges_refreshed_timestamp_seconds) > 300 and sum(x_total offset 10m)')).toEqual([
      'ops_gauges_refreshed_timestamp_seconds',
      'x_total',
    ]);
    expect(
      ruleExpressions(
        '      - alert: A\n        expr: |\n          a_total\n          / b_total\n        for: 2m\n      - alert: B\n        expr: max(c) > 0\n',
      ),
    ).toEqual(['          a_total\n          / b_total', 'max(c) > 0']);
  });

  it('when alerts.yml and the dashboard name a metric, then it is one the code registers (or a recording rule of alerts.yml)', async () => {
    const rulesText = readFileSync(ALERTS, 'utf8');
    const recorded = new Set([...rulesText.matchAll(/^\s*- record:\s*(\S+)/gm)].map((m) => m[1]));
    const exported = await exportedSeriesNames();
    const alertNames = ruleExpressions(rulesText).flatMap(metricNamesIn);
    const dashboardNames = dashboardExpressions().flatMap(metricNamesIn);
    expect(alertNames.length).toBeGreaterThan(10);
    expect(dashboardNames.length).toBeGreaterThan(20);

    const unknown = [...new Set([...alertNames, ...dashboardNames])].filter((name) => !exported.has(name) && !recorded.has(name));
    expect(unknown).toEqual([]);
  });

  it('when the issue lists the series operators need, then the code exports each of them', async () => {
    const exported = await exportedSeriesNames();
    for (const name of [
      'http_request_duration_seconds',
      'graphql_operation_duration_seconds',
      'checkout_outcomes_total',
      'saga_compensations_total',
      'saga_recoveries_total',
      'outbox_lag_seconds',
      'outbox_dead_letters',
      'payments_requires_action_stale',
      'refunds_pending_oldest_seconds',
      'seller_transfers',
      'sagas',
      'stripe_requests_total',
      'stripe_request_duration_seconds',
      'webhook_events_total',
      'rate_limited_total',
      'process_cpu_seconds_total',
    ])
      expect(exported).toContain(name);
  });
});
