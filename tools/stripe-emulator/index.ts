/**
 * Local Stripe API emulator, strict like real Stripe, driven through the real
 * `stripe` SDK: `new Stripe(key, { host: emu.host, port: emu.port, protocol: 'http' })`.
 */
import { StripeEmulatorInstance } from './emulator';
import type { StripeEmulator, StripeEmulatorOptions } from './types';

export async function startStripeEmulator(opts: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
  const emulator = new StripeEmulatorInstance(opts);
  await emulator.start();
  return emulator;
}

export { DEFAULT_API_VERSION } from './emulator';
export { signPayload } from './events/webhooks';
export type { ExecutionContext, StripeEvent } from './events/event-log';
export type { WebhookDelivery, WebhookDeliveryMode } from './events/webhooks';
export type { FaultAction, FaultHandle, FaultInjector, FaultSpec } from './faults';
export type { CreatedObjectType, OffSessionFailure, RequestLogEntry, StripeEmulator, StripeEmulatorOptions } from './types';
