import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { OutboxEvent, OutboxEventStatus } from '../../src/entities';
import { OUTCOME_BUCKET_MS } from '../../src/services/operations/checkout-outcomes.service';
import { transition } from '../../src/services/state/transition';
import { buildOrder } from '../factories/order.factory';
import { commitEvents } from '../integration/outbox/support/commit-events';
import { startTestApp, type TestApp } from '../support/test-app';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * /ops in a real headless Chromium: an admin signs in with a token, sees the
 * chart and a dead letter, and replays it with the page's own button. The
 * page must work offline under its CSP: any request leaving the gateway, or
 * any console error (a CSP violation is one), fails the test.
 */
describe('the /ops page in headless Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    // CI installs Chromium; a machine without it fails here rather than skipping the check.
    expect(existsSync(CHROMIUM)).toBe(true);
    app = await startTestApp();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  beforeEach(() => app.reset());
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** A fresh context (empty profile) and page that records console errors and every request that leaves the gateway. */
  async function openPage(): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await context.route('**/*', (route) => {
      if (route.request().url().startsWith(app.url)) return route.continue();
      problems.push(`left the gateway: ${route.request().url()}`);
      return route.abort();
    });
    return { page, problems };
  }

  async function deadLetter(): Promise<OutboxEvent> {
    const [event] = await commitEvents(app.orm, 1);
    await transition(app.orm.em.fork(), OutboxEvent, event.id, OutboxEventStatus.PENDING, OutboxEventStatus.DEAD, { attempts: 10, lastError: 'HttpSinkError: answered 503' });
    return event;
  }

  /** The chart's last column is the current five minutes: rows written just before a boundary would be read into the column before it. */
  async function clearOfBucketEdge(marginMs = 30_000): Promise<void> {
    const left = OUTCOME_BUCKET_MS - (Date.now() % OUTCOME_BUCKET_MS);
    if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 100));
  }

  it('when an admin signs in, then the chart and the dead letter show, and Replay sends it back to PENDING with the same event id', async () => {
    await clearOfBucketEdge();
    const event = await deadLetter();
    await buildOrder(app.orm.em.fork(), { createdAt: new Date() });
    const failed = app.orm.em.fork();
    failed.create(OutboxEvent, { type: 'checkout.compensated', aggregateId: 'cart-1', payload: {} });
    await failed.flush();
    const { page, problems } = await openPage();

    await page.goto(`${app.url}/ops`);
    await page.fill('#token', await app.adminToken());
    await page.click('button[type=submit]');
    const row = page.locator(`#event-${event.id}`);
    const before = { status: await row.locator('td.status').textContent(), text: await row.textContent() };
    const chartBars = await page.locator('svg rect').count();
    const lastBucket = await page.locator('#outcomes tbody tr').last().locator('td').allTextContents();
    await row.getByRole('button', { name: 'Replay' }).click();
    const notice = await page.getByRole('status').textContent();
    const after = await page.locator(`#event-${event.id} td.status`).textContent();

    expect(before.status).toBe('DEAD');
    expect(before.text).toContain('answered 503');
    expect(chartBars).toBe(24);
    expect(lastBucket.slice(1)).toEqual(['1', '1']);
    expect(notice).toContain(event.id);
    expect(after).toBe('PENDING');
    const stored = await app.orm.em.fork().findOneOrFail(OutboxEvent, { id: event.id });
    expect(stored).toMatchObject({ status: OutboxEventStatus.PENDING, attempts: 0 });
    expect(problems).toEqual([]);
  });

  it('when a customer signs in, or a form arrives without the page\'s token, then nothing is shown or done', async () => {
    const event = await deadLetter();
    const customer = await app.customer();
    const post = (path: string, body: Record<string, string>, cookie?: string) => fetch(`${app.url}${path}`, {
      method: 'POST', redirect: 'manual', body: new URLSearchParams(body), headers: cookie ? { cookie } : {},
    });

    const asCustomer = await post('/ops/sign-in', { token: customer.token });
    const asAdmin = await post('/ops/sign-in', { token: await app.adminToken() });
    const cookie = asAdmin.headers.get('set-cookie')!.split(';')[0];
    const forged = await post('/ops/actions', { action: 'replayOutboxEvent', id: event.id, csrf: 'forged' }, cookie);
    const anonymous = await post('/ops/actions', { action: 'replayOutboxEvent', id: event.id, csrf: 'forged' });
    const page = await fetch(`${app.url}/ops`, { headers: { cookie } });

    expect(asCustomer.status).toBe(401);
    expect(asCustomer.headers.get('set-cookie')).toBeNull();
    expect(asAdmin.status).toBe(303);
    expect(asAdmin.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    expect(forged.status).toBe(403);
    expect(anonymous.status).toBe(401);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain(event.id);
    expect(await app.orm.em.fork().findOneOrFail(OutboxEvent, { id: event.id })).toMatchObject({ status: OutboxEventStatus.DEAD, attempts: 10 });
  });
});
