import type { Browser, Page } from 'playwright-core';
import { OutboxEvent, OutboxEventStatus } from '../../src/entities';
import { OUTCOME_BUCKET_MS } from '../../src/services/operations/checkout-outcomes.service';
import { transition } from '../../src/services/state/transition';
import { buildOrder } from '../factories/order.factory';
import { commitEvents } from '../integration/outbox/support/commit-events';
import { launchTestBrowser } from '../support/browser';
import { startTestApp, TEST_ADMIN, type TestApp } from '../support/test-app';

/**
 * /ops in a real headless Chromium: an admin signs in with email and password,
 * sees the chart and a dead letter, replays it with the page's own button, and
 * signs out. The
 * page must work offline under its CSP: any request leaving the gateway, or
 * any console error (a CSP violation is one), fails the test.
 */
describe('the /ops page in headless Chromium', () => {
  let app: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchTestBrowser();
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

  /** Fills in the sign-in form and submits it, as an admin would. */
  async function signIn(page: Page, email: string, password: string): Promise<void> {
    await page.fill('#email', email);
    await page.fill('#password', password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function deadLetter(): Promise<OutboxEvent> {
    const [event] = await commitEvents(app.orm, 1);
    await transition(app.orm.em.fork(), OutboxEvent, event.id, OutboxEventStatus.PENDING, OutboxEventStatus.DEAD, {
      attempts: 10,
      lastError: 'HttpSinkError: answered 503',
    });
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
    await signIn(page, TEST_ADMIN.email, TEST_ADMIN.password);
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

  it('when the password is wrong, then the form says so; when the admin signs out, then the page asks to sign in again and the old cookie is gone', async () => {
    const { page, problems } = await openPage();
    await page.goto(`${app.url}/ops`);
    await signIn(page, TEST_ADMIN.email, 'not-the-admin-password');
    const wrong = await page.getByRole('alert').textContent();
    await signIn(page, TEST_ADMIN.email, TEST_ADMIN.password);
    const signedIn = await page.getByRole('button', { name: 'Sign out' }).count();
    const cookie = (await page.context().cookies()).find((c) => c.name === 'tillgate_ops');
    await page.getByRole('button', { name: 'Sign out' }).click();
    const afterSignOut = await page.locator('#password').count();
    await page.goto(`${app.url}/ops`);

    expect(wrong).toBe('Email or password is wrong.');
    expect(signedIn).toBe(1);
    expect(cookie).toMatchObject({ path: '/ops', httpOnly: true, sameSite: 'Strict' });
    expect(afterSignOut).toBe(1);
    expect(await page.locator('#password').count()).toBe(1);
    expect((await page.context().cookies()).some((c) => c.name === 'tillgate_ops')).toBe(false);
    // The refused sign-in's 401 is the only error Chromium reports: no CSP violation, nothing from elsewhere.
    expect(problems).toEqual(['console: Failed to load resource: the server responded with a status of 401 (Unauthorized)']);
  });
});
