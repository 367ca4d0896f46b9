import type Stripe from 'stripe';
import { OutboxEvent, Order, OrderStatus, PaymentLink, PaymentLinkStatus, Refund, RefundStatus } from '../../../src/entities';
import { isLinkPreviewAgent, LINK_PREVIEW_AGENTS } from '../../../src/http/link-preview-agents';
import { usePaymentsApp } from '../../support/payments-app';

const CREATE_LINK = `mutation($input: CreatePaymentLinkInput!) {
  createPaymentLink(input: $input) { id url email description status amount { amount currency } }
}`;
const LINK = `query($id: ID!) { paymentLink(id: $id) { id status orders { id status totals { total { amount } } } } }`;
const BROWSER = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
/** Real buyers' phones and browsers; a Cubot phone has "bot" inside its model name. */
const CUBOT_CHROME = 'Mozilla/5.0 (Linux; Android 11; CUBOT NOTE 20 PRO) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36';
const BUYER_AGENTS = [
  CUBOT_CHROME,
  'Mozilla/5.0 (Linux; Android 10; CUBOT KINGKONG 5 Pro Build/QP1A.190711.020; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.163 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 9; CUBOT_X19) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0',
  BROWSER,
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [Pinterest/iOS]',
];
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
/** Previewers and crawlers as they really announce themselves. */
const PREVIEW_AGENTS = [
  GOOGLEBOT,
  'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.129 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
  'Mozilla/5.0 (compatible; Facebot/1.0)',
  'Twitterbot/1.0',
  'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
  'WhatsApp/2.23.20.0 A',
  'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
  'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
  'TelegramBot (like TwitterBot)',
  'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)',
  'Mozilla/5.0 (compatible;PetalBot;+https://webmaster.petalsearch.com/site/petalbot)',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (compatible; SomeRandomBot/2.1)',
  'Acme Link Preview Service',
  'Pinterest/0.2 (+https://www.pinterest.com/bot.html)',
  'Mozilla/5.0 (compatible; Pinterestbot/1.0; +http://www.pinterest.com/bot.html)',
];

describe('payment links', () => {
  const h = usePaymentsApp({ env: { PUBLIC_URL: 'https://pay.tillgate.test' }, webhooks: 'auto' });

  const sessionCreates = () => h.stripe.emulator.requests.filter((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions');
  const ordersOf = (linkId: string) => h.app.orm.em.fork().find(Order, { paymentLinkId: linkId }, { orderBy: { createdAt: 'asc' } });

  async function createLink(amount = 4_200): Promise<{ id: string; url: string }> {
    const result = await h.app.gql(
      CREATE_LINK,
      {
        input: { email: 'Parent@Example.com', description: 'School trip', amount, currency: 'eur' },
      },
      { token: await h.app.adminToken() },
    );
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data.createPaymentLink;
  }

  /** The link's path on the app under test (PUBLIC_URL is not where the test server listens). */
  const open = (linkUrl: string, init: { method?: string; agent?: string } = {}) =>
    fetch(`${h.app.url}${new URL(linkUrl).pathname}`, { method: init.method ?? 'GET', redirect: 'manual', headers: { 'user-agent': init.agent ?? BROWSER } });

  async function ageOrders(linkId: string, minutes: number): Promise<void> {
    const past = new Date(Date.now() - minutes * 60_000);
    await h.app.orm.em.fork().nativeUpdate(Order, { paymentLinkId: linkId }, { createdAt: past });
  }

  it('when an admin creates a link, then it has an unguessable URL under PUBLIC_URL and is OPEN', async () => {
    const link = await createLink();
    const other = await createLink();

    expect(link).toMatchObject({ email: 'parent@example.com', description: 'School trip', status: 'OPEN', amount: { amount: 4_200, currency: 'EUR' } });
    expect(link.url).toMatch(/^https:\/\/pay\.tillgate\.test\/pay\/[A-Za-z0-9_-]{43}$/);
    expect(other.url).not.toBe(link.url);
  });

  it('when a browser opens a new link, then one order and one Checkout Session are made and it is sent there with 303', async () => {
    const link = await createLink();

    const response = await open(link.url);

    expect(response.status).toBe(303);
    const session: Stripe.Checkout.Session = h.stripe.emulator.createdObjects('checkout.session')[0];
    expect(response.headers.get('location')).toBe(session.url);
    expect(session.amount_total).toBe(4_200);
    const orders = await ordersOf(link.id);
    expect(orders.map((o) => [o.status, o.total, o.paymentKind])).toEqual([[OrderStatus.PENDING_PAYMENT, 4_200, 'HOSTED_CHECKOUT']]);
    expect(session.metadata).toEqual(expect.objectContaining({ order_id: orders[0].id }));
  });

  it('when the pending order is fresh, then a second click goes to the same session URL with no new order and no Stripe call', async () => {
    const link = await createLink();
    const first = await open(link.url);
    const requestsBefore = [...h.stripe.emulator.requests];

    const second = await open(link.url);

    expect(second.status).toBe(303);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(await ordersOf(link.id)).toHaveLength(1);
    expect(requestsBefore.length).toBeGreaterThan(0);
    expect(h.stripe.emulator.requests).toEqual(requestsBefore);
  });

  it('when the pending order is stale, then it is CANCELLED (kept), its session expired, and the click goes to a new session', async () => {
    const link = await createLink();
    const first = await open(link.url);
    await ageOrders(link.id, 31);

    const second = await open(link.url);

    expect(second.status).toBe(303);
    expect(second.headers.get('location')).not.toBe(first.headers.get('location'));
    const [old, fresh] = await ordersOf(link.id);
    expect([old.status, fresh.status]).toEqual([OrderStatus.CANCELLED, OrderStatus.PENDING_PAYMENT]);
    const [oldSession, newSession]: Stripe.Checkout.Session[] = h.stripe.emulator.createdObjects('checkout.session');
    expect(oldSession.status).toBe('expired');
    expect(newSession.url).toBe(second.headers.get('location'));
    const admin = await h.app.gql(LINK, { id: link.id }, { token: await h.app.adminToken() });
    expect(admin.data.paymentLink.orders.map((o: { status: string }) => o.status)).toEqual(['CANCELLED', 'PENDING_PAYMENT']);
  });

  it('when the link was paid, then its order is PLACED, the link PAID, and a later click answers 409 already paid', async () => {
    const link = await createLink();
    await open(link.url);
    const session: Stripe.Checkout.Session = h.stripe.emulator.createdObjects('checkout.session')[0];

    await h.stripe.emulator.completeCheckoutSession(session.id);
    await h.stripe.emulator.drainWebhooks();
    const again = await open(link.url);

    expect(again.status).toBe(409);
    expect(await again.text()).toContain('already been paid');
    expect((await ordersOf(link.id)).map((o) => o.status)).toEqual([OrderStatus.PLACED]);
    const admin = await h.app.gql(LINK, { id: link.id }, { token: await h.app.adminToken() });
    expect(admin.data.paymentLink.status).toBe('PAID');
  });

  it.each([...LINK_PREVIEW_AGENTS.slice(0, 9), GOOGLEBOT, 'Mozilla/5.0 (compatible; SomeRandomBot/2.1)', 'Acme Link Preview Service'])(
    'when the link-preview agent "%s" opens a link, then it gets a 200 page and nothing is created',
    async (agent) => {
      const link = await createLink();

      const response = await open(link.url, { agent });

      expect(response.status).toBe(200);
      expect(await ordersOf(link.id)).toHaveLength(0);
      expect(sessionCreates()).toHaveLength(0);
    },
  );

  it('when a buyer on a Cubot phone (its model name contains "bot") opens a link, then it is a buyer: one order and a 303 to Checkout', async () => {
    const link = await createLink();

    const response = await open(link.url, { agent: CUBOT_CHROME });

    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(h.stripe.emulator.createdObjects('checkout.session')[0].url);
    expect(await ordersOf(link.id)).toHaveLength(1);
  });

  it('when agents are told apart, then previewers and crawlers are caught by name or whole word, and real phones and browsers never are', () => {
    expect(PREVIEW_AGENTS.filter((agent) => !isLinkPreviewAgent(agent))).toEqual([]);
    expect(BUYER_AGENTS.filter((agent) => isLinkPreviewAgent(agent))).toEqual([]);
  });

  it('when a HEAD request comes first, then it gets 200, creates nothing, and the first real click still works', async () => {
    const link = await createLink();

    const head = await open(link.url, { method: 'HEAD' });
    const ordersAfterHead = await ordersOf(link.id);
    const click = await open(link.url);

    expect(head.status).toBe(200);
    expect(ordersAfterHead).toHaveLength(0);
    expect(click.status).toBe(303);
  });

  it('when ten browsers click at once, then exactly one order and one session exist and all go to the same URL', async () => {
    const link = await createLink();

    const responses = await Promise.all(Array.from({ length: 10 }, () => open(link.url)));

    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(303));
    expect(new Set(responses.map((r) => r.headers.get('location'))).size).toBe(1);
    expect(await ordersOf(link.id)).toHaveLength(1);
    expect(h.stripe.emulator.createdObjects('checkout.session')).toHaveLength(1);
  });

  it("when a stale order's session still gets paid, then that payment is refunded automatically and the order stays CANCELLED", async () => {
    const link = await createLink();
    await open(link.url);
    await ageOrders(link.id, 45);
    const [staleSession]: Stripe.Checkout.Session[] = h.stripe.emulator.createdObjects('checkout.session');
    h.stripe.emulator.faults.add({ path: `/v1/checkout/sessions/${staleSession.id}/expire`, times: 5, action: { kind: 'status', status: 503 } });
    await open(link.url);

    await h.stripe.emulator.completeCheckoutSession(staleSession.id);
    await h.stripe.emulator.drainWebhooks();

    const [stale, fresh] = await ordersOf(link.id);
    expect([stale.status, fresh.status]).toEqual([OrderStatus.CANCELLED, OrderStatus.PENDING_PAYMENT]);
    const refunds: Stripe.Refund[] = h.stripe.emulator.createdObjects('refund');
    expect(refunds.map((r) => [r.amount, r.metadata?.order_id])).toEqual([[4_200, stale.id]]);
    const booked = await h.app.orm.em.fork().find(Refund, {});
    expect(booked.map((r) => [r.orderId, r.amount, r.providerAmount, r.status, r.providerRefundId, r.idempotencyKey])).toEqual([
      [stale.id, 4_200, 4_200, RefundStatus.SUCCEEDED, refunds[0].id, `auto-refund:${stale.id}`],
    ]);
    // Announced once, with Stripe's refund id, however many Stripe events about the payment arrived.
    const announced = await h.app.orm.em.fork().find(OutboxEvent, { type: 'payment.auto_refunded' });
    expect(announced.map((e) => [e.aggregateId, e.payload])).toEqual([
      [stale.id, { orderId: stale.id, refundId: refunds[0].id, paymentIntentId: refunds[0].payment_intent }],
    ]);
    expect((await h.app.orm.em.fork().findOneOrFail(Order, { id: stale.id })).refunded).toBe(4_200);
    const row = await h.app.orm.em.fork().findOneOrFail(PaymentLink, { id: link.id });
    expect(row.status).toBe(PaymentLinkStatus.OPEN);
  });

  it('when Stripe refuses to open a Checkout Session, then the click answers 503 "try again" and the next click reuses the same order', async () => {
    const link = await createLink();
    h.stripe.emulator.faults.add({
      method: 'POST',
      path: '/v1/checkout/sessions',
      times: 1_000,
      action: { kind: 'status', status: 400, error: { type: 'invalid_request_error', code: 'parameter_invalid_empty', message: 'refused for the test' } },
    });

    const refused = await open(link.url);
    const refusedPage = await refused.text();
    h.stripe.emulator.faults.clear();
    const retried = await open(link.url);

    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refusedPage).toContain('Try again in a moment');
    expect(retried.status).toBe(303);
    const sessions: Stripe.Checkout.Session[] = h.stripe.emulator.createdObjects('checkout.session');
    expect(sessions).toHaveLength(1);
    expect(retried.headers.get('location')).toBe(sessions[0].url);
    const orders = await ordersOf(link.id);
    expect(orders.map((o) => o.status)).toEqual([OrderStatus.PENDING_PAYMENT]);
    expect(sessions[0].metadata).toEqual(expect.objectContaining({ order_id: orders[0].id }));
  });

  it('when a customer or an anonymous caller asks for a payment link, then FORBIDDEN or UNAUTHENTICATED and no link data', async () => {
    const link = await createLink();
    const customer = await h.app.customer();

    const asCustomer = await h.app.gql(LINK, { id: link.id }, { token: customer.token });
    const anonymous = await h.app.gql(LINK, { id: link.id });
    const asAdmin = await h.app.gql(LINK, { id: link.id }, { token: await h.app.adminToken() });

    expect(asCustomer.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect([asCustomer.data?.paymentLink ?? null, anonymous.data?.paymentLink ?? null]).toEqual([null, null]);
    expect(asAdmin.data.paymentLink).toMatchObject({ id: link.id, status: 'OPEN' });
  });

  it('when a token is unknown or malformed, then 404 and nothing is created', async () => {
    const unknown = await fetch(`${h.app.url}/pay/${'x'.repeat(43)}`, { redirect: 'manual', headers: { 'user-agent': BROWSER } });
    const malformed = await fetch(`${h.app.url}/pay/abc`, { redirect: 'manual', headers: { 'user-agent': BROWSER } });

    expect([unknown.status, malformed.status]).toEqual([404, 404]);
    expect(await h.app.orm.em.fork().count(Order, {})).toBe(0);
  });
});
