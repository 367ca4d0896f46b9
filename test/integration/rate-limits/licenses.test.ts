import { License, LicenseStatus } from '../../../src/entities';
import { newLicenseKey } from '../../../src/services/licenses/license-keys';
import { buildDigitalVariant } from '../../factories/catalog.factory';
import type { TestApp } from '../../support/test-app';
import { freshAddress, gqlAs, refusalOf, startLimitedApp } from './rate-limit-harness';

const VERIFY = 'query($key: String!) { verifyLicense(key: $key) { valid status } }';

/** Fishing for license keys: verifyLicense look-ups of unknown keys, per IP (3 per 20 s here; 60/1h by default). */
describe('verifyLicense rate limit', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startLimitedApp({ RATE_LIMIT_LICENSE_MISSES_IP: '3/20s' });
  });
  afterAll(() => app.close());

  it('when an address has looked up 3 unknown keys, then its next look-up is refused (429), while known keys cost nothing and another address is unaffected', async () => {
    const variant = await buildDigitalVariant(app.orm.em.fork());
    const em = app.orm.em.fork();
    const known = em.create(License, {
      key: newLicenseKey(),
      orderId: crypto.randomUUID(),
      orderLineId: crypto.randomUUID(),
      unitIndex: 0,
      variantId: variant.id,
      status: LicenseStatus.ACTIVE,
      issuedAt: new Date(),
    });
    await em.flush();
    const from = freshAddress();
    const verify = (key: string, address = from) => gqlAs(app, address, VERIFY, { key });

    const knownFirst = await verify(known.key);
    const misses = [await verify(newLicenseKey()), await verify(newLicenseKey()), await verify(newLicenseKey())];
    const knownAfter = await verify(known.key);
    const refused = await verify(newLicenseKey());
    const elsewhere = await verify(newLicenseKey(), freshAddress());

    expect(knownFirst.body.data!.verifyLicense).toEqual({ valid: true, status: 'ACTIVE' });
    expect(misses.map((m) => m.body.data!.verifyLicense)).toEqual(Array(3).fill({ valid: false, status: null }));
    // The miss budget is spent: even a known key is refused now, as a voucher limit refuses a good code.
    expect(refusalOf(knownAfter.body)).not.toBeNull();
    expect(refused.status).toBe(429);
    expect(refusalOf(refused.body)).toEqual({ retryAfter: expect.any(Number) });
    expect(elsewhere.body.data!.verifyLicense).toEqual({ valid: false, status: null });
  });
});
