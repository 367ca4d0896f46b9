import { stockShortfall } from '../../../src/services/cart/cart-stock';

const VARIANT = '11111111-1111-4111-8111-111111111111';

describe('stockShortfall', () => {
  it('when the request fits what is on hand minus live reservations, then there is no shortfall', () => {
    expect(stockShortfall({ onHand: 10, reserved: 6, reservedByCart: 0 }, VARIANT, 4)).toBeNull();
  });

  it('when it does not fit, then the shortfall reports what is available', () => {
    expect(stockShortfall({ onHand: 10, reserved: 6, reservedByCart: 0 }, VARIANT, 5)).toEqual({ variantId: VARIANT, requested: 5, available: 4 });
  });

  it('when this cart holds some of the reserved units, then those count as available to it', () => {
    expect(stockShortfall({ onHand: 5, reserved: 3, reservedByCart: 3 }, VARIANT, 5)).toBeNull();
    expect(stockShortfall({ onHand: 5, reserved: 3, reservedByCart: 3 }, VARIANT, 6)).toEqual({ variantId: VARIANT, requested: 6, available: 5 });
  });

  it('when reservations exceed what is on hand, then availability is 0 before the cart adds back its own', () => {
    expect(stockShortfall({ onHand: 5, reserved: 8, reservedByCart: 3 }, VARIANT, 4)).toEqual({ variantId: VARIANT, requested: 4, available: 3 });
  });
});
