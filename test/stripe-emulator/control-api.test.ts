import { stripeFor, useEmulator } from './support/harness';

describe('Stripe emulator: hosted pages and control API', () => {
  const ctx = useEmulator();

  async function openSession() {
    return ctx.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price_data: { currency: 'usd', unit_amount: 1000, product_data: { name: 'Mug <large>' } }, quantity: 1 }],
      success_url: 'https://shop.example/done?session={CHECKOUT_SESSION_ID}',
      cancel_url: 'https://shop.example/cart',
    });
  }

  it('when the session url is opened, then a page offers Pay and Cancel with escaped item names', async () => {
    const session = await openSession();

    const response = await fetch(session.url as string);
    const html = await response.text();

    expect(response.headers.get('content-type')).toContain('text/html');
    expect(html).toContain(`/_emulator/checkout/${session.id}/pay`);
    expect(html).toContain(`/_emulator/checkout/${session.id}/cancel`);
    expect(html).toContain('Mug &#60;large&#62;');
  });

  it('when Pay is followed, then the session completes and the browser is sent to success_url with the session id', async () => {
    const session = await openSession();

    const response = await fetch(`${session.url}/pay`, { redirect: 'manual' });

    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`https://shop.example/done?session=${session.id}`);
    expect((await ctx.stripe.checkout.sessions.retrieve(session.id)).status).toBe('complete');
  });

  it('when Cancel is followed, then the browser goes back to cancel_url and the session stays open', async () => {
    const session = await openSession();

    const response = await fetch(`${session.url}/cancel`, { redirect: 'manual' });

    expect(response.headers.get('location')).toBe('https://shop.example/cart');
    expect((await ctx.stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
  });

  it('when the 3DS page is completed, then the browser returns to return_url with the PaymentIntent', async () => {
    const intent = await ctx.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
      return_url: 'https://shop.example/return',
    });
    const redirect = intent.next_action?.redirect_to_url?.url as string;

    const response = await fetch(`${redirect}/complete?succeed=true`, { redirect: 'manual' });

    const location = new URL(response.headers.get('location') as string);
    expect(location.origin + location.pathname).toBe('https://shop.example/return');
    expect(location.searchParams.get('payment_intent')).toBe(intent.id);
    expect(location.searchParams.get('redirect_status')).toBe('succeeded');
    expect((await ctx.stripe.paymentIntents.retrieve(intent.id)).status).toBe('succeeded');
  });

  it('when a fault is added over HTTP, then the next matching API call fails with it', async () => {
    const added = await fetch(`${ctx.emu.url}/_emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ method: 'POST', path: '/v1/refunds', action: { kind: 'status', status: 500 } }),
    });

    const error = await stripeFor(ctx.emu)
      .refunds.create({ payment_intent: 'pi_x' })
      .catch((caught: { statusCode?: number }) => caught);

    expect(added.status).toBe(201);
    expect((error as { statusCode?: number }).statusCode).toBe(500);
  });

  it('when a session is expired over HTTP, then the JSON answer shows it expired', async () => {
    const session = await openSession();

    const response = await fetch(`${ctx.emu.url}/_emulator/checkout/${session.id}/expire`, { method: 'POST' });
    const body = (await response.json()) as { status: string };

    expect(body.status).toBe('expired');
  });

  it('when a control route does not exist, then it answers 404 with a JSON error', async () => {
    const response = await fetch(`${ctx.emu.url}/_emulator/nope`);

    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: string }).error).toContain('/_emulator/nope');
  });
});
