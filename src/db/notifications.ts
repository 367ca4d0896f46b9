import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { retryDelayMs, type BackoffPolicy } from '../services/shared/backoff';
import { logger } from '../services/shared/logger';

export interface NotificationListenerOptions {
  /** A URL that reaches the server itself: LISTEN needs a session, which a transaction pooler does not keep. */
  url: string;
  channel: string;
  /** The session's application_name, so an operator finds it in pg_stat_activity. */
  applicationName: string;
  /**
   * Sends `payload` on the channel through the application's own connections.
   * Only a notification that comes back proves the session receives what
   * others commit: through a transaction pooler, LISTEN succeeds and nothing
   * ever arrives.
   */
  sendProbe(payload: string): Promise<void>;
  /** The session LISTENs and the probe came back: every notification committed from now on arrives. */
  onListening(): void;
  /** The session is gone, or never came up: notifications may be missed until the next onListening. */
  onLost(): void;
  onNotification(payload: string): void;
}

const RECONNECT: BackoffPolicy = { baseMs: 250, capMs: 30_000 };
const CONNECT_TIMEOUT_MS = 5_000;
const PROBE_TIMEOUT_MS = 5_000;
/**
 * A session cut off without a word (a dead peer, a dropped route) looks
 * idle for as long as TCP keeps it, while the notifications meant for it are
 * lost: a query at this interval proves it is alive.
 */
export const HEARTBEAT_INTERVAL_MS = 10_000;
const HEARTBEAT_TIMEOUT_MS = 5_000;
const PROBE_PREFIX = 'probe:';

const unref = (timer: NodeJS.Timeout): NodeJS.Timeout => timer.unref();

/**
 * `work`, or a rejection with `message` when it has not settled after `ms`.
 * The deadline looks once more after the pending I/O has been read
 * (setImmediate runs after the poll phase): when the event loop was stalled
 * past the deadline, an answer that arrived meanwhile still counts.
 */
function withDeadline<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      finish();
    };
    const timer = unref(setTimeout(() => setImmediate(() => settle(() => reject(new Error(message)))), ms));
    work.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}

/**
 * One PostgreSQL session that LISTENs on a channel (node-postgres' Client,
 * outside the ORM's pool), for as long as the process runs. When the session
 * is lost (an error, the server ending it, a heartbeat unanswered) it says so
 * at once (onLost) and opens a new one with backoff; a new session counts as
 * listening only once a probe notification has come back through it.
 */
export class NotificationListener {
  private session: Client | null = null;
  private failures = 0;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private readonly probes = new Map<string, () => void>();

  constructor(private readonly options: NotificationListenerOptions) {}

  /** Opens the session; resolves when the first attempt has ended, listening or not (a failed one is retried in the background). */
  start(): Promise<void> {
    return this.open();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    const session = this.session;
    this.session = null;
    this.options.onLost();
    if (session) await Promise.race([session.end().catch(() => undefined), new Promise((resolve) => unref(setTimeout(resolve, 2_000)))]);
  }

  private async open(): Promise<void> {
    const { url, channel, applicationName } = this.options;
    const client = new Client({ connectionString: url, application_name: applicationName, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    this.session = client;
    client.on('notification', (message) => this.received(client, message.channel, message.payload ?? ''));
    client.on('error', (error) => this.lose(client, error));
    client.on('end', () => this.lose(client, new Error('the listening session ended')));
    try {
      await client.connect();
      await client.query(`listen ${client.escapeIdentifier(channel)}`);
      await this.probe();
    } catch (error) {
      this.lose(client, error);
      return;
    }
    if (this.session !== client) return;
    this.failures = 0;
    this.options.onListening();
    logger.info('notifications.listening', { channel });
    this.scheduleHeartbeat(client);
  }

  private received(client: Client, channel: string, payload: string): void {
    if (this.session !== client || channel !== this.options.channel) return;
    if (payload.startsWith(PROBE_PREFIX)) this.probes.get(payload)?.();
    else this.options.onNotification(payload);
  }

  private async probe(): Promise<void> {
    const payload = `${PROBE_PREFIX}${randomUUID()}`;
    const arrived = new Promise<void>((resolve) => this.probes.set(payload, resolve));
    try {
      const late = `a probe sent through the application's connections did not arrive within ${PROBE_TIMEOUT_MS} ms (a transaction pooler?)`;
      await withDeadline(
        this.options.sendProbe(payload).then(() => arrived),
        PROBE_TIMEOUT_MS,
        late,
      );
    } finally {
      this.probes.delete(payload);
    }
  }

  private scheduleHeartbeat(client: Client): void {
    this.heartbeatTimer = unref(
      setTimeout(() => {
        withDeadline(client.query('select 1'), HEARTBEAT_TIMEOUT_MS, `no answer to the heartbeat within ${HEARTBEAT_TIMEOUT_MS} ms`).then(
          () => {
            if (this.session === client) this.scheduleHeartbeat(client);
          },
          (error: unknown) => this.lose(client, error),
        );
      }, HEARTBEAT_INTERVAL_MS),
    );
  }

  /** Once per session: the first of its error, end, failed step or silent heartbeat. */
  private lose(client: Client, error: unknown): void {
    if (this.session !== client) return;
    this.session = null;
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    this.options.onLost();
    // With a query in flight (an unanswered heartbeat) end() destroys the socket instead of waiting.
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    this.failures += 1;
    const retryInMs = retryDelayMs(this.failures, RECONNECT);
    logger.warn('notifications.lost', { channel: this.options.channel, attempt: this.failures, retryInMs, error });
    this.retryTimer = unref(setTimeout(() => void this.open(), retryInMs));
  }
}
