/** A small Prometheus text-format registry: counters only, labels as given. */
class Metrics {
  private readonly counters = new Map<string, number>();

  increment(name: string, labels: Record<string, string> = {}, by = 1): void {
    const labelText = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`).join(',');
    const key = labelText ? `${name}{${labelText}}` : name;
    this.counters.set(key, (this.counters.get(key) ?? 0) + by);
  }

  render(): string {
    const lines: string[] = [];
    const seen = new Set<string>();
    for (const [key, value] of [...this.counters.entries()].sort()) {
      const name = key.split('{')[0];
      if (!seen.has(name)) {
        lines.push(`# TYPE ${name} counter`);
        seen.add(name);
      }
      lines.push(`${key} ${value}`);
    }
    return lines.join('\n') + '\n';
  }
}

export const metrics = new Metrics();
