/**
 * Runs the emulator standalone:
 *   npx jiti tools/stripe-emulator/cli.ts
 * Environment: STRIPE_EMULATOR_PORT (default 12111), STRIPE_EMULATOR_HOST (default 127.0.0.1),
 * STRIPE_EMULATOR_WEBHOOK_URL, STRIPE_WEBHOOK_SECRET.
 */
import { startStripeEmulator } from './index';

const DEFAULT_PORT = 12111;

function readPort(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`STRIPE_EMULATOR_PORT must be a port number, got "${value}"`);
  return port;
}

async function main(): Promise<void> {
  const webhookSecret = process.env.STRIPE_WEBHOOK_SECRET || undefined;
  if (webhookSecret !== undefined && !webhookSecret.startsWith('whsec_')) throw new Error('STRIPE_WEBHOOK_SECRET must start with whsec_');
  const emulator = await startStripeEmulator({
    port: readPort(process.env.STRIPE_EMULATOR_PORT),
    host: process.env.STRIPE_EMULATOR_HOST || '127.0.0.1',
    webhookUrl: process.env.STRIPE_EMULATOR_WEBHOOK_URL || undefined,
    webhookSecret,
  });
  const lines = [
    `Stripe emulator listening on ${emulator.url}`,
    '',
    'Point Tillgate at it:',
    `  STRIPE_API_BASE=${emulator.url} STRIPE_SECRET_KEY=sk_test_emulator STRIPE_WEBHOOK_SECRET=${emulator.webhookSecret}`,
    '',
    process.env.STRIPE_EMULATOR_WEBHOOK_URL
      ? `Webhooks go to ${process.env.STRIPE_EMULATOR_WEBHOOK_URL}`
      : 'No STRIPE_EMULATOR_WEBHOOK_URL set: events are recorded, not delivered.',
    `Hosted checkout pages: ${emulator.url}/_emulator/checkout/<cs_id>; control API under ${emulator.url}/_emulator/`,
  ];
  console.log(lines.join('\n'));
  const shutdown = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
