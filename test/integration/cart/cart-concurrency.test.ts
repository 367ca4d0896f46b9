import { VoucherKind } from '../../../src/entities';
import { anAddress, cartApi } from '../../factories/cart.factory';
import { buildProduct, buildShippingMethod, buildTaxRate, buildVoucher } from '../../factories/catalog.factory';
import { useCartTestApp } from './cart-test-app';

describe('cart concurrency', () => {
  const h = useCartTestApp();
  const em = () => h.app.orm.em.fork();

  it('when different changes hit one cart at the same moment, then every one lands, each with its own version, and the answer of the last is the stored cart', async () => {
    const { variants } = await buildProduct(em(), {
      variants: [
        { price: 1_000, currency: 'EUR', stock: 100 },
        { price: 500, currency: 'EUR', stock: 100 },
      ],
    });
    const method = await buildShippingMethod(em(), { price: 490, currency: 'EUR' });
    await buildTaxRate(em(), 'DE', 1_900);
    const voucher = await buildVoucher(em(), { kind: VoucherKind.PERCENT_OFF, value: 1_000 });
    const api = cartApi(h.app);
    const cart = await api.create();
    const line = (await api.addLine(cart.id, variants[0].id, 1)).lines[0];

    const results = await Promise.all([
      ...Array.from({ length: 4 }, () => api.addLine(cart.id, variants[1].id, 1)),
      ...Array.from({ length: 4 }, () => api.addLine(cart.id, variants[0].id, 1)),
      api.updateLine(cart.id, line.id, 1),
      api.setShippingMethod(cart.id, method.id),
      api.setShippingAddress(cart.id, anAddress({ country: 'DE' })),
      api.applyVoucher(cart.id, voucher.code),
    ]);

    expect(results.map((result) => result.__typename)).toEqual(results.map(() => 'Cart'));
    expect(results.map((result) => result.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 3));
    const stored = await api.get(cart.id);
    expect(stored.version).toBe(14);
    expect(stored.lines.find((l: { variant: { id: string } }) => l.variant.id === variants[1].id).quantity).toBe(4);
    expect(stored).toMatchObject({ shippingMethod: { id: method.id }, shippingAddress: { country: 'DE' }, voucherCodes: [voucher.code] });
    // The change that committed last answered exactly what is stored.
    const { __typename, ...last } = results.find((result) => result.version === 14);
    expect(last).toEqual(stored);
  });
});
