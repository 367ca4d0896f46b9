import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import { AggregatorRegistry } from 'prom-client';
import { registry } from './metrics';

const ASK = 'tillgate:metrics-ask';
const ANSWER = 'tillgate:metrics-answer';
const ANSWER_TIMEOUT_MS = 5_000;

interface Ask {
  type: typeof ASK;
  id: string;
}
interface Answer {
  type: typeof ANSWER;
  id: string;
  text?: string;
  error?: string;
}

/** This process's own series, in the text format. */
export const localMetricsText = (): Promise<string> => registry.metrics();

/**
 * In the primary of GATEWAY_PROCESSES > 1: answers a gateway process that was
 * scraped with the sum over every process (prom-client's cluster registry asks
 * each one for its series and adds them up; the database gauges take the max).
 */
export function serveClusterMetrics(): () => Promise<string> {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: Ask) => {
    if (message?.type !== ASK) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: ANSWER, id: message.id, text } satisfies Answer),
      (error: unknown) => worker.send({ type: ANSWER, id: message.id, error: String(error) } satisfies Answer),
    );
  });
  return () => aggregator.clusterMetrics();
}

let listening = false;
const pending = new Map<string, (answer: Answer) => void>();

/**
 * In every gateway process of a cluster, at start: hands this process's
 * registry to prom-client's listener (constructing a cluster registry installs
 * it), which answers the primary's requests, and listens for the answers to
 * its own asks.
 */
export function joinClusterMetrics(): void {
  if (listening) return;
  listening = true;
  AggregatorRegistry.setRegistries([registry]);
  new AggregatorRegistry();
  process.on('message', (message: Answer) => {
    if (message?.type !== ANSWER) return;
    pending.get(message.id)?.(message);
  });
}

/** In a gateway process of a cluster: whichever process a scrape reaches asks the primary, so one /metrics shows the whole gateway. */
export function clusterMetricsText(): Promise<string> {
  joinClusterMetrics();
  return new Promise((resolve, reject) => {
    const id = randomUUID();
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error('the primary did not answer for the cluster metrics'));
    }, ANSWER_TIMEOUT_MS);
    pending.set(id, (answer) => {
      clearTimeout(timer);
      pending.delete(id);
      if (answer.text !== undefined) resolve(answer.text);
      else reject(new Error(answer.error ?? 'no metrics'));
    });
    process.send!({ type: ASK, id } satisfies Ask);
  });
}
