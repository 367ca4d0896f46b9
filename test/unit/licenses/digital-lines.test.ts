import { VariantKind } from '../../../src/entities/enums';
import { versionKeyOf, type CartKeyState } from '../../../src/services/cart/version-key';
import { looksLikeLicenseKey, newLicenseKey } from '../../../src/services/licenses/license-keys';
import { needsShipping, priceCart } from '../../../src/services/pricing/pricing-engine';

const line = (kind: 'PHYSICAL' | 'DIGITAL', unitPrice = 1_000) => ({ lineId: `l-${kind}`, variantId: `v-${kind}`, quantity: 2, unitPrice, kind });

describe('digital lines in pricing, version keys and license keys', () => {
  it('when every line is DIGITAL, then shipping is 0 whatever the method costs; a mixed or empty cart keeps it', () => {
    const price = (lines: ReturnType<typeof line>[]) => priceCart({ lines, vouchers: [], shippingPrice: 500, taxRateBps: 1_000 });

    expect(price([line('DIGITAL')])).toMatchObject({ shipping: 0, shippingTax: 0, tax: 200, total: 2_200 });
    expect(price([line('DIGITAL'), line('PHYSICAL')])).toMatchObject({ shipping: 500, shippingTax: 50, total: 4_950 });
    expect(price([])).toMatchObject({ shipping: 500 });
    expect(price([line('DIGITAL')]).lines[0].kind).toBe('DIGITAL');
    expect([needsShipping([{ kind: 'DIGITAL' }]), needsShipping([{ kind: 'DIGITAL' }, {}]), needsShipping([])]).toEqual([false, true, true]);
    // A plan ships nothing either (issue 21).
    expect([needsShipping([{ kind: 'SUBSCRIPTION' }]), needsShipping([{ kind: 'SUBSCRIPTION' }, { kind: 'PHYSICAL' }])]).toEqual([false, true]);
  });

  it('when a line is DIGITAL, then the version key carries it; a physical line hashes as it did before kinds existed', () => {
    const state = (kind?: VariantKind): CartKeyState => ({
      lines: [{ variantId: 'v1', quantity: 1, unitPrice: 100, ...(kind ? { kind } : {}) }],
      voucherCodes: [],
      shippingMethodId: null,
      address: null,
      currency: 'EUR',
      customerId: null,
      email: 'a@example.com',
    });

    expect(versionKeyOf(state(VariantKind.PHYSICAL))).toBe(versionKeyOf(state()));
    expect(versionKeyOf(state(VariantKind.DIGITAL))).not.toBe(versionKeyOf(state()));
  });

  it('when keys are made, then each is TGL- and 32 base32 characters (160 random bits) and none repeats', () => {
    const keys = Array.from({ length: 2_000 }, newLicenseKey);

    expect(keys.every(looksLikeLicenseKey)).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
    expect(looksLikeLicenseKey('TGL-0000')).toBe(false);
  });
});
