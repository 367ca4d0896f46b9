import { createUnionType } from 'type-graphql';
import { CheckoutConfirmationType, CheckoutPreviewType, VoucherRedemptionType } from '../types/checkout.type';
import { InsufficientStockError, PriceChangedError, UserError } from '../types/common.type';
import { OrderType } from '../types/order.type';

export const StartCheckoutResult = createUnionType({
  name: 'StartCheckoutResult',
  types: () => [CheckoutPreviewType, UserError, InsufficientStockError, PriceChangedError] as const,
});

export const ConfirmCheckoutResult = createUnionType({
  name: 'ConfirmCheckoutResult',
  types: () => [CheckoutConfirmationType, UserError, InsufficientStockError, PriceChangedError] as const,
});

export const RedeemVoucherResult = createUnionType({
  name: 'RedeemVoucherResult',
  types: () => [VoucherRedemptionType, UserError] as const,
});

export const OrderResult = createUnionType({
  name: 'OrderResult',
  types: () => [OrderType, UserError] as const,
});
