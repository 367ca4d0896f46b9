import { PaymentMethodKind, SagaExecution, VoucherKind } from '../../../../src/entities';
import { SimulatedCrash } from '../../../../src/services/saga/saga-types';
import { buildVoucher } from '../../../factories/catalog.factory';
import { buildCustomer, buildReadyCart, directSaga, grantTestCredit } from '../../../factories/checkout.factory';
import type { TestApp } from '../../../support/test-app';

export interface CrashedCheckout {
  row: SagaExecution;
  cartId: string;
  variantId: string;
  voucherId: string;
}

/**
 * A card checkout (store credit, a one-use voucher, two units of a three-unit
 * variant) whose process dies right before the payment call: its saga is left
 * RUNNING with the order written, for recovery to end.
 */
export async function crashedCardCheckout(app: TestApp): Promise<CrashedCheckout> {
  const em = () => app.orm.em.fork();
  const buyerId = await buildCustomer(em());
  await grantTestCredit(em(), buyerId, 500);
  const voucher = await buildVoucher(em(), { kind: VoucherKind.AMOUNT_OFF, value: 300, maxRedemptions: 1 });
  const ready = await buildReadyCart(em(), { customerId: buyerId, lines: [{ price: 2_000, stock: 3, quantity: 2 }], vouchers: [voucher] });
  const saga = directSaga(app, {
    faults: {
      beforeStep: (id) => {
        if (id === 'payment') throw new SimulatedCrash('killed before payment');
      },
    },
  });
  const command = {
    cartId: ready.cart.id,
    versionKey: ready.versionKey,
    paymentMethod: PaymentMethodKind.CARD,
    stripePaymentMethodId: 'pm_card_visa',
    useCredit: true,
  };
  await saga.confirm(em(), command, { customerId: buyerId, isAdmin: false }).then(
    () => {
      throw new Error('the checkout was meant to crash before its payment');
    },
    (error: unknown) => {
      if (!(error instanceof SimulatedCrash)) throw error;
    },
  );
  const row = await em().findOneOrFail(SagaExecution, { key: { $like: `${ready.cart.id}:%` } });
  return { row, cartId: ready.cart.id, variantId: ready.variants[0].id, voucherId: voucher.id };
}
