import { Cart } from './cart.entity';
import { CartLine } from './cart-line.entity';
import { CreditLedgerEntry } from './credit-ledger-entry.entity';
import { Customer } from './customer.entity';
import { IdempotencyRecord } from './idempotency-record.entity';
import { License } from './license.entity';
import { Order } from './order.entity';
import { OrderLine } from './order-line.entity';
import { OutboxEvent } from './outbox-event.entity';
import { Partner } from './partner.entity';
import { PartnerKey } from './partner-key.entity';
import { Payment } from './payment.entity';
import { PaymentLink } from './payment-link.entity';
import { ProcessedWebhookEvent } from './processed-webhook-event.entity';
import { Product } from './product.entity';
import { Refund } from './refund.entity';
import { Reservation } from './reservation.entity';
import { SagaExecution } from './saga-execution.entity';
import { Seller } from './seller.entity';
import { Subscription } from './subscription.entity';
import { SubscriptionPeriod } from './subscription-period.entity';
import { SellerTransfer } from './seller-transfer.entity';
import { ShippingMethod } from './shipping-method.entity';
import { StockLevel } from './stock-level.entity';
import { TaxRate } from './tax-rate.entity';
import { Variant } from './variant.entity';
import { Voucher } from './voucher.entity';
import { VoucherRedemption } from './voucher-redemption.entity';
import { Warehouse } from './warehouse.entity';

export * from './enums';
export type { AddressValue } from './cart.entity';
export type { RefundedLine } from './refund.entity';
export {
  Cart,
  CartLine,
  CreditLedgerEntry,
  Customer,
  IdempotencyRecord,
  Order,
  OrderLine,
  OutboxEvent,
  Partner,
  PartnerKey,
  Payment,
  PaymentLink,
  ProcessedWebhookEvent,
  Product,
  Refund,
  Reservation,
  SagaExecution,
  Seller,
  SellerTransfer,
  ShippingMethod,
  StockLevel,
  Subscription,
  SubscriptionPeriod,
  TaxRate,
  Variant,
  Voucher,
  VoucherRedemption,
  Warehouse,
  License,
};

export const allEntities = [
  Cart,
  CartLine,
  CreditLedgerEntry,
  Customer,
  IdempotencyRecord,
  Order,
  OrderLine,
  OutboxEvent,
  Partner,
  PartnerKey,
  Payment,
  PaymentLink,
  ProcessedWebhookEvent,
  Product,
  Refund,
  Reservation,
  SagaExecution,
  Seller,
  SellerTransfer,
  ShippingMethod,
  StockLevel,
  Subscription,
  SubscriptionPeriod,
  TaxRate,
  Variant,
  Voucher,
  VoucherRedemption,
  Warehouse,
  License,
];
