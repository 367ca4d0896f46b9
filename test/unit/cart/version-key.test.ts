import { versionKeyOf, type CartKeyState } from '../../../src/services/cart/version-key';

const VARIANT_A = '11111111-1111-4111-8111-111111111111';
const VARIANT_B = '22222222-2222-4222-8222-222222222222';

const baseState = (): CartKeyState => ({
  lines: [
    { variantId: VARIANT_A, quantity: 2, unitPrice: 1_250 },
    { variantId: VARIANT_B, quantity: 1, unitPrice: 990 },
  ],
  voucherCodes: ['SPRING10', 'FREESHIP'],
  shippingMethodId: '33333333-3333-4333-8333-333333333333',
  address: { name: 'Ada Lovelace', line1: '12 Analytical Row', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
  currency: 'EUR',
  customerId: null,
  email: 'ada@example.com',
});

describe('versionKeyOf', () => {
  it('when the state is the same, then the key is the same 64-character hex digest', () => {
    const key = versionKeyOf(baseState());
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(versionKeyOf(baseState())).toBe(key);
  });

  it('when only the order of lines or voucher codes differs, then the key does not change', () => {
    const state = baseState();
    const reordered = { ...state, lines: [...state.lines].reverse(), voucherCodes: [...state.voucherCodes].reverse() };
    expect(versionKeyOf(reordered)).toBe(versionKeyOf(state));
  });

  it('when the address differs only by surrounding spaces or country case, or the email by case, then the key does not change', () => {
    const state = baseState();
    const sloppy = {
      ...state,
      address: { ...state.address!, name: '  Ada Lovelace ', country: 'gb' },
      email: 'ADA@Example.com',
    };
    expect(versionKeyOf(sloppy)).toBe(versionKeyOf(state));
  });

  const changes: [string, (state: CartKeyState) => CartKeyState][] = [
    ['a line quantity', (s) => ({ ...s, lines: [{ ...s.lines[0], quantity: 3 }, s.lines[1]] })],
    ['a stored unit price', (s) => ({ ...s, lines: [{ ...s.lines[0], unitPrice: 1_251 }, s.lines[1]] })],
    ['a line variant', (s) => ({ ...s, lines: [{ ...s.lines[0], variantId: '44444444-4444-4444-8444-444444444444' }, s.lines[1]] })],
    ['a removed line', (s) => ({ ...s, lines: [s.lines[0]] })],
    ['a voucher code', (s) => ({ ...s, voucherCodes: ['SPRING10'] })],
    ['the shipping method', (s) => ({ ...s, shippingMethodId: null })],
    ['the address city', (s) => ({ ...s, address: { ...s.address!, city: 'Leeds' } })],
    ['the address country', (s) => ({ ...s, address: { ...s.address!, country: 'IE' } })],
    ['no address at all', (s) => ({ ...s, address: null })],
    ['the currency', (s) => ({ ...s, currency: 'USD' })],
    ['the guest email', (s) => ({ ...s, email: 'grace@example.com' })],
    ['a customer owning the cart', (s) => ({ ...s, customerId: '55555555-5555-4555-8555-555555555555' })],
  ];

  it.each(changes)('when %s changes, then the key changes', (_label, change) => {
    expect(versionKeyOf(change(baseState()))).not.toBe(versionKeyOf(baseState()));
  });

  it('when field boundaries shift (values that concatenate alike), then the keys still differ', () => {
    const state = baseState();
    const a = { ...state, address: { ...state.address!, name: 'Ada', line1: 'B Street' } };
    const b = { ...state, address: { ...state.address!, name: 'Ad', line1: 'aB Street' } };
    expect(versionKeyOf(a)).not.toBe(versionKeyOf(b));
  });
});
