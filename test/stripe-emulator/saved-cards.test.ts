import Stripe from 'stripe';
import { NO_REDIRECTS, stripeError, useEmulator } from './support/harness';

describe('Stripe emulator: Customers, saved cards and off-session charges', () => {
  const ctx = useEmulator();

  const newCustomer = (key?: string) =>
    ctx.stripe.customers.create({ email: 'buyer@example.com', metadata: { customer_id: 'c1' } }, key === undefined ? {} : { idempotencyKey: key });

  /** A first payment that saves the card to the customer; answers the saved method's id. */
  async function saveCard(customer: string, card = 'pm_card_visa'): Promise<string> {
    const intent = await ctx.stripe.paymentIntents.create({
      amount: 1500,
      currency: 'eur',
      customer,
      payment_method: card,
      setup_future_usage: 'off_session',
      confirm: true,
      ...NO_REDIRECTS,
    });
    return intent.payment_method as string;
  }

  const chargeOffSession = (customer: string, paymentMethod: string, key: string) =>
    ctx.stripe.paymentIntents.create(
      { amount: 1500, currency: 'eur', customer, payment_method: paymentMethod, off_session: true, confirm: true, ...NO_REDIRECTS },
      { idempotencyKey: key },
    );

  it('when a customer is created twice with one Idempotency-Key, then one customer exists and both answers name it', async () => {
    const first = await newCustomer('customer:c1');
    const second = await newCustomer('customer:c1');

    expect(first.id).toMatch(/^cus_/);
    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(ctx.emu.createdObjects('customer')).toHaveLength(1);
    const fetched = await ctx.stripe.customers.retrieve(first.id);
    expect(fetched).toMatchObject({ id: first.id, email: 'buyer@example.com', metadata: { customer_id: 'c1' } });
  });

  it('when an unknown customer is fetched or charged, then it is resource_missing', async () => {
    const fetched = await stripeError(ctx.stripe.customers.retrieve('cus_nobody'));
    const charged = await stripeError(chargeOffSession('cus_nobody', 'pm_card_visa', 'k1'));

    expect([fetched.statusCode, fetched.code]).toEqual([404, 'resource_missing']);
    expect([charged.statusCode, charged.code, charged.param]).toEqual([400, 'resource_missing', 'customer']);
  });

  it('when a payment with setup_future_usage succeeds, then its payment_method is a new saved id attached to the customer', async () => {
    const customer = await newCustomer();

    const saved = await saveCard(customer.id);

    expect(saved).toMatch(/^pm_/);
    expect(saved).not.toBe('pm_card_visa');
    const method = await ctx.stripe.paymentMethods.retrieve(saved);
    expect(method.customer).toBe(customer.id);
    const listed = await ctx.stripe.customers.listPaymentMethods(customer.id);
    expect(listed.data.map((item) => item.id)).toEqual([saved]);
    expect(ctx.emu.events.map((event) => event.type)).toContain('payment_method.attached');
  });

  it('when a payment without setup_future_usage succeeds, then it keeps the card it was given and saves nothing', async () => {
    const customer = await newCustomer();

    const intent = await ctx.stripe.paymentIntents.create({
      amount: 1500,
      currency: 'eur',
      customer: customer.id,
      payment_method: 'pm_card_visa',
      confirm: true,
      ...NO_REDIRECTS,
    });

    expect(intent.payment_method).toBe('pm_card_visa');
    expect((await ctx.stripe.customers.listPaymentMethods(customer.id)).data).toHaveLength(0);
  });

  it('when a saved card is charged off session, then the charge succeeds on that method', async () => {
    const customer = await newCustomer();
    const saved = await saveCard(customer.id);

    const intent = await chargeOffSession(customer.id, saved, 'renewal-1');

    expect(intent.status).toBe('succeeded');
    expect(intent.payment_method).toBe(saved);
    expect(intent.customer).toBe(customer.id);
  });

  it('when a saved card is used with another customer or without one, then it is refused and nothing is created', async () => {
    const owner = await newCustomer();
    const stranger = await newCustomer();
    const saved = await saveCard(owner.id);
    const before = ctx.emu.createdObjects('payment_intent').length;

    const other = await stripeError(chargeOffSession(stranger.id, saved, 'k-other'));
    const none = await stripeError(ctx.stripe.paymentIntents.create({ amount: 1500, currency: 'eur', payment_method: saved, confirm: true, ...NO_REDIRECTS }));

    expect(other.statusCode).toBe(400);
    expect(none.statusCode).toBe(400);
    expect(ctx.emu.createdObjects('payment_intent')).toHaveLength(before);
  });

  it('when off_session comes without confirm, then it is refused', async () => {
    const customer = await newCustomer();

    const error = await stripeError(
      ctx.stripe.paymentIntents.create({ amount: 1500, currency: 'eur', customer: customer.id, payment_method: 'pm_card_visa', off_session: true }),
    );

    expect([error.statusCode, error.param]).toEqual([400, 'off_session']);
  });

  it('when the next off-session charge is set to decline, then it is a StripeCardError with the PaymentIntent waiting for a method, once', async () => {
    const customer = await newCustomer();
    const saved = await saveCard(customer.id);
    ctx.emu.failNextOffSessionCharge(customer.id, 'card_declined');

    const error = await stripeError(chargeOffSession(customer.id, saved, 'renewal-1'));
    const next = await chargeOffSession(customer.id, saved, 'renewal-2');

    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error.code).toBe('card_declined');
    expect((error.payment_intent as Stripe.PaymentIntent).status).toBe('requires_payment_method');
    expect(next.status).toBe('succeeded');
  });

  it('when the next off-session charge needs authentication, then it is a card error authentication_required with the PaymentIntent in requires_action', async () => {
    const customer = await newCustomer();
    const saved = await saveCard(customer.id);
    ctx.emu.failNextOffSessionCharge(customer.id, 'authentication_required');

    const error = await stripeError(chargeOffSession(customer.id, saved, 'renewal-1'));

    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error.code).toBe('authentication_required');
    const intent = await ctx.stripe.paymentIntents.retrieve((error.payment_intent as Stripe.PaymentIntent).id);
    expect(intent.status).toBe('requires_action');
  });

  it('when the armed failure is for another customer, or the charge is on session, then the charge succeeds and the failure stays armed', async () => {
    const armed = await newCustomer();
    const other = await newCustomer();
    const armedCard = await saveCard(armed.id);
    const otherCard = await saveCard(other.id);
    ctx.emu.failNextOffSessionCharge(armed.id, 'card_declined');

    const otherCharge = await chargeOffSession(other.id, otherCard, 'other-1');
    const onSession = await ctx.stripe.paymentIntents.create({
      amount: 1500,
      currency: 'eur',
      customer: armed.id,
      payment_method: armedCard,
      confirm: true,
      ...NO_REDIRECTS,
    });
    const declined = await stripeError(chargeOffSession(armed.id, armedCard, 'armed-1'));

    expect([otherCharge.status, onSession.status]).toEqual(['succeeded', 'succeeded']);
    expect(declined.code).toBe('card_declined');
  });

  it('when a card saved from a 3DS test card is charged off session, then it needs authentication like that card', async () => {
    const customer = await newCustomer();
    const first = await ctx.stripe.paymentIntents.create({
      amount: 1500,
      currency: 'eur',
      customer: customer.id,
      payment_method: 'pm_card_authenticationRequired',
      setup_future_usage: 'off_session',
      confirm: true,
      ...NO_REDIRECTS,
    });
    await ctx.emu.completeAuthentication(first.id, true);
    const saved = (await ctx.stripe.paymentIntents.retrieve(first.id)).payment_method as string;

    const error = await stripeError(chargeOffSession(customer.id, saved, 'renewal-1'));

    expect(saved).not.toBe('pm_card_authenticationRequired');
    expect(error.code).toBe('authentication_required');
  });

  it('when a declined charge is sent again with its key, then the stored decline is replayed; a new key charges afresh', async () => {
    const customer = await newCustomer();
    const saved = await saveCard(customer.id);
    ctx.emu.failNextOffSessionCharge(customer.id, 'card_declined');
    const declined = await stripeError(chargeOffSession(customer.id, saved, 'renewal:p1:1'));

    const replayed = await stripeError(chargeOffSession(customer.id, saved, 'renewal:p1:1'));
    const fresh = await chargeOffSession(customer.id, saved, 'renewal:p1:2');

    expect(replayed.code).toBe('card_declined');
    expect((replayed.payment_intent as Stripe.PaymentIntent).id).toBe((declined.payment_intent as Stripe.PaymentIntent).id);
    expect(replayed.headers?.['idempotent-replayed']).toBe('true');
    expect(fresh.status).toBe('succeeded');
    const succeeded = ctx.emu.events.filter((event) => event.type === 'payment_intent.succeeded').map((event) => (event.data.object as { id: string }).id);
    expect(succeeded).toContain(fresh.id);
  });

  it('when the control route arms a failure, then the next off-session charge fails; an unknown customer or failure is refused', async () => {
    const customer = await newCustomer();
    const saved = await saveCard(customer.id);
    const post = (path: string, body: unknown) =>
      fetch(`${ctx.emu.url}/_emulator/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    const armed = await post(`customers/${customer.id}/next-off-session-charge`, { failure: 'card_declined' });
    const unknownCustomer = await post('customers/cus_nobody/next-off-session-charge', { failure: 'card_declined' });
    const unknownFailure = await post(`customers/${customer.id}/next-off-session-charge`, { failure: 'lost_card' });

    expect([armed.status, unknownCustomer.status, unknownFailure.status]).toEqual([200, 404, 400]);
    expect((await stripeError(chargeOffSession(customer.id, saved, 'k1'))).code).toBe('card_declined');
    expect(() => ctx.emu.failNextOffSessionCharge('cus_nobody', 'card_declined')).toThrow(/No such customer/);
  });

  it('when a hosted session asks to save the card for a customer, then its PaymentIntent carries setup_future_usage and saves a new method', async () => {
    const customer = await newCustomer();
    const session = await ctx.stripe.checkout.sessions.create({
      mode: 'payment',
      customer: customer.id,
      line_items: [{ price_data: { currency: 'eur', unit_amount: 1500, product_data: { name: 'Plan' } }, quantity: 1 }],
      success_url: 'https://shop.example/done',
      payment_intent_data: { setup_future_usage: 'off_session', metadata: { order_id: 'o1' } },
    });

    await ctx.emu.completeCheckoutSession(session.id);

    const paid = await ctx.stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    const intent = paid.payment_intent as Stripe.PaymentIntent;
    expect(paid.customer).toBe(customer.id);
    expect(intent).toMatchObject({ status: 'succeeded', customer: customer.id, setup_future_usage: 'off_session' });
    expect(intent.payment_method).not.toBe('pm_card_visa');
    expect((await ctx.stripe.paymentMethods.retrieve(intent.payment_method as string)).customer).toBe(customer.id);
  });

  it('when a session names both customer and customer_email, or an unknown setup_future_usage, then it is refused', async () => {
    const customer = await newCustomer();
    const base = {
      mode: 'payment' as const,
      line_items: [{ price_data: { currency: 'eur', unit_amount: 1500, product_data: { name: 'Plan' } }, quantity: 1 }],
    };

    const both = await stripeError(ctx.stripe.checkout.sessions.create({ ...base, customer: customer.id, customer_email: 'a@example.com' }));
    const badUsage = await stripeError(
      ctx.stripe.checkout.sessions.create({
        ...base,
        payment_intent_data: { setup_future_usage: 'sometimes' as Stripe.Checkout.SessionCreateParams.PaymentIntentData.SetupFutureUsage },
      }),
    );

    expect([both.statusCode, badUsage.statusCode]).toEqual([400, 400]);
    expect(ctx.emu.createdObjects('checkout.session')).toHaveLength(0);
  });
});
