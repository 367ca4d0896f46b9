import type { TestApp } from './test-app';

/** Every sample of one metric in a Prometheus text exposition, by its label text (`{a="x",b="y"}`, or '' without labels). */
export function samplesOf(text: string, name: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{.*\})? (\S+)$/.exec(line);
    if (match && match[1] === name) samples.set(match[2] ?? '', Number(match[3]));
  }
  return samples;
}

/** The samples that moved between two readings, with how far (a new sample counts from 0). */
export function movedSamples(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const moved: Record<string, number> = {};
  for (const [labels, value] of after) {
    const delta = value - (before.get(labels) ?? 0);
    if (delta !== 0) moved[labels] = delta;
  }
  return moved;
}

export async function scrapeMetrics(app: Pick<TestApp, 'url'>): Promise<string> {
  const response = await fetch(`${app.url}/metrics`);
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  return response.text();
}

/** What `action` moved in the metric `name`, read through the app's own /metrics. */
export async function metricMoves(app: Pick<TestApp, 'url'>, name: string, action: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = samplesOf(await scrapeMetrics(app), name);
  await action();
  return movedSamples(before, samplesOf(await scrapeMetrics(app), name));
}
