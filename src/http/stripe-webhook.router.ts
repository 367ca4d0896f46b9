import express, { type Router } from 'express';
import type { AppDeps } from '../services/app-deps';
import { WebhookSignatureInvalid, type ProviderEvent } from '../services/payments/payment-port';
import { handlePaymentEvent, HANDLED_PAYMENT_EVENTS, type WebhookAnswer } from '../services/payments/settlement/payment-webhook.service';
import { webhookEvents } from '../observability/metrics';
import { REFUND_EVENTS } from '../services/refunds/refund-webhooks';
import { logger } from '../services/shared/logger';

export const STRIPE_WEBHOOK_PATH = '/webhooks/stripe';

/** An unverified delivery's type is the sender's word: it is not used as a label. */
const UNVERIFIED_TYPE = 'unverified';
const WEBHOOK_OUTCOMES: Record<WebhookAnswer['outcome'], string> = {
  applied: 'processed',
  duplicate: 'duplicate',
  ignored: 'ignored',
  'retry-later': 'retry_later',
};
/** Types this gateway acts on keep their name; every other (verified) type counts as other, so the label set stays closed. */
const typeLabel = (type: string): string => (HANDLED_PAYMENT_EVENTS.has(type) || REFUND_EVENTS.has(type) ? type : 'other');

/**
 * POST /webhooks/stripe. The raw body is kept (mounted before any JSON parser)
 * because the signature covers the exact bytes; it is verified before anything
 * else, so a forged or unsigned request changes nothing. With no webhook
 * secret configured every delivery is refused with 500 (and logged) rather
 * than accepted unverified; Stripe keeps redelivering until it is fixed.
 */
export function stripeWebhookRouter(deps: AppDeps): Router {
  const router = express.Router();
  router.post(STRIPE_WEBHOOK_PATH, express.raw({ type: 'application/json', limit: '1mb' }), async (req, res) => {
    const secret = deps.config.stripeWebhookSecret;
    const { payments } = deps;
    if (!secret || !payments) {
      logger.error('webhook.stripe_not_configured', { hasSecret: Boolean(secret), hasStripe: Boolean(payments) });
      res.status(500).json({ error: 'Stripe webhooks are not configured on this server.' });
      return;
    }
    const signature = req.headers['stripe-signature'];
    const body: unknown = req.body;
    if (typeof signature !== 'string' || !Buffer.isBuffer(body)) {
      webhookEvents.inc({ type: UNVERIFIED_TYPE, outcome: 'refused' });
      res.status(400).json({ error: 'Missing Stripe-Signature header or body.' });
      return;
    }
    let event: ProviderEvent;
    try {
      event = payments.verifyEvent(body, signature, secret);
    } catch (error) {
      if (!(error instanceof WebhookSignatureInvalid)) throw error;
      if (error.reason === 'unparseable') logger.warn('webhook.unparseable', { error: error.cause });
      webhookEvents.inc({ type: UNVERIFIED_TYPE, outcome: 'refused' });
      res.status(400).json({ error: 'Invalid Stripe signature.' });
      return;
    }
    try {
      const answer = await handlePaymentEvent({ em: deps.orm.em.fork(), db: deps.db, stores: deps.stores, clock: deps.clock, payments }, event);
      webhookEvents.inc({ type: typeLabel(event.type), outcome: WEBHOOK_OUTCOMES[answer.outcome] });
      logger.info('webhook.stripe_event', { eventId: event.id, type: event.type, status: answer.status, outcome: answer.outcome, detail: answer.detail });
      res.status(answer.status).json({ received: true, outcome: answer.outcome });
    } catch (error) {
      webhookEvents.inc({ type: typeLabel(event.type), outcome: 'failed' });
      logger.error('webhook.stripe_event_failed', { eventId: event.id, type: event.type, error });
      res.status(500).json({ error: 'The event could not be processed; it will be retried.' });
    }
  });
  return router;
}
