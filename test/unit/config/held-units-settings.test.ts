import { ConfigError, loadConfig } from '../../../src/config';

const refusal = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
};

describe('MAX_HELD_UNITS_PER_CUSTOMER, MAX_HELD_UNITS_PER_ADDRESS and GUEST_HOLD_TTL', () => {
  it('when nothing is set, then a customer may hold 50 units, an address 100, and a guest holds them 5 minutes', () => {
    expect(loadConfig({})).toMatchObject({ heldUnitCaps: { perCustomer: 50, perAddress: 100 }, guestHoldTtlMs: 5 * 60_000, reservationTtlMs: 15 * 60_000 });
  });

  it('when they are set, then they are kept; RATE_LIMITS=off switches the caps off but not the guest hold', () => {
    expect(loadConfig({ MAX_HELD_UNITS_PER_CUSTOMER: '8', MAX_HELD_UNITS_PER_ADDRESS: '30', GUEST_HOLD_TTL: '90s' })).toMatchObject({
      heldUnitCaps: { perCustomer: 8, perAddress: 30 },
      guestHoldTtlMs: 90_000,
    });
    expect(loadConfig({ RATE_LIMITS: 'off', MAX_HELD_UNITS_PER_CUSTOMER: '8', GUEST_HOLD_TTL: '2m' })).toMatchObject({
      heldUnitCaps: null,
      guestHoldTtlMs: 120_000,
    });
  });

  it('when a cap is not a whole number from 1 to 1,000,000, then it is refused, even with RATE_LIMITS=off', () => {
    expect(refusal({ MAX_HELD_UNITS_PER_CUSTOMER: '0' })).toBe('MAX_HELD_UNITS_PER_CUSTOMER must be between 1 and 1000000 (got 0)');
    expect(refusal({ MAX_HELD_UNITS_PER_ADDRESS: '1000001' })).toBe('MAX_HELD_UNITS_PER_ADDRESS must be between 1 and 1000000 (got 1000001)');
    expect(refusal({ RATE_LIMITS: 'off', MAX_HELD_UNITS_PER_ADDRESS: 'lots' })).toBe('MAX_HELD_UNITS_PER_ADDRESS must be a whole number (got "lots")');
  });

  it('when GUEST_HOLD_TTL is no duration, zero or longer than RESERVATION_TTL, then it is refused; unset, it never outlasts RESERVATION_TTL', () => {
    expect(refusal({ GUEST_HOLD_TTL: '5' })).toMatch(/^GUEST_HOLD_TTL must be a duration like/);
    expect(refusal({ GUEST_HOLD_TTL: '0s' })).toBe('GUEST_HOLD_TTL must be longer than 0 (got "0s")');
    expect(refusal({ GUEST_HOLD_TTL: '20m' })).toBe('GUEST_HOLD_TTL must not be longer than RESERVATION_TTL (got 20m)');
    expect(loadConfig({ RESERVATION_TTL: '3m' }).guestHoldTtlMs).toBe(3 * 60_000);
    expect(loadConfig({ RESERVATION_TTL: '30m', GUEST_HOLD_TTL: '30m' }).guestHoldTtlMs).toBe(30 * 60_000);
  });
});
