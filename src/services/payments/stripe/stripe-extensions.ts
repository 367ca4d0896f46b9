import type Stripe from 'stripe';
import type { Config } from '../../../config';
import type { Clock } from '../../shared/clock';
import { createStripeClient } from './stripe-client';
import { StripeGateway } from './stripe-gateway';

/** Keys under which the Stripe client and gateway live in `AppDeps.extensions`. */
export const STRIPE_CLIENT_EXTENSION = 'stripe';
export const STRIPE_GATEWAY_EXTENSION = 'stripeGateway';

/**
 * Adds the Stripe client and gateway to the app's extensions when a secret key
 * is configured; `paymentGateway` (the checkout's port) becomes the Stripe one
 * unless the caller supplied its own. Without a key nothing is added, so the
 * NotConfiguredGateway answers PAYMENT_PROVIDER_NOT_CONFIGURED.
 */
export function installStripe(extensions: Record<string, unknown>, config: Config, clock: Clock): StripeGateway | null {
  const stripe = createStripeClient(config);
  if (!stripe) return null;
  const gateway = new StripeGateway(stripe, { config, clock });
  extensions[STRIPE_CLIENT_EXTENSION] ??= stripe;
  extensions[STRIPE_GATEWAY_EXTENSION] ??= gateway;
  extensions.paymentGateway ??= gateway;
  return extensions[STRIPE_GATEWAY_EXTENSION] as StripeGateway;
}

/** The Stripe client from the extensions, or null when Stripe is not configured (refunds, payouts). */
export function stripeClientFrom(extensions: Record<string, unknown>): Stripe | null {
  return (extensions[STRIPE_CLIENT_EXTENSION] as Stripe | undefined) ?? null;
}

export function stripeGatewayFrom(extensions: Record<string, unknown>): StripeGateway | null {
  const candidate = extensions[STRIPE_GATEWAY_EXTENSION];
  return candidate instanceof StripeGateway ? candidate : null;
}
