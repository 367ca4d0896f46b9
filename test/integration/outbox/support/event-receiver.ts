import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedEvent {
  eventId: string | undefined;
  eventType: string | undefined;
  contentType: string | undefined;
  body: { id: string; type: string; aggregateId: string; payload: Record<string, unknown>; createdAt: string };
}

/** How the receiver answers one request: a status code, or never (to exercise timeouts). */
export type Answer = number | 'hang';

/**
 * A real HTTP endpoint on 127.0.0.1 standing in for an event consumer. It
 * records every POST and answers from a script (default 204), so tests can make
 * the sink fail, then succeed, without mocking fetch.
 */
export class EventReceiver {
  readonly received: ReceivedEvent[] = [];
  private readonly script: Answer[] = [];
  private readonly waiters: { count: number; resolve: () => void }[] = [];
  private readonly hanging = new Set<ServerResponse>();
  private server: Server | null = null;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/events`;
    return this;
  }

  /** Answers for the next requests, in order; afterwards 204. */
  answerNext(...answers: Answer[]): void {
    this.script.push(...answers);
  }

  /** Resolves once `count` requests in total have arrived. */
  waitFor(count: number): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  ids(): string[] {
    return this.received.map((event) => event.body.id);
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    this.received.push({
      eventId: req.headers['x-tillgate-event-id'] as string | undefined,
      eventType: req.headers['x-tillgate-event-type'] as string | undefined,
      contentType: req.headers['content-type'],
      body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
    });
    for (const waiter of this.waiters.filter((w) => this.received.length >= w.count)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    const answer = this.script.shift() ?? 204;
    if (answer === 'hang') {
      this.hanging.add(res);
      return;
    }
    res.statusCode = answer;
    res.end();
  }
}
