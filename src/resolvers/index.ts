import type { ClassType, NonEmptyArray } from 'type-graphql';
import { AdminCatalogResolver } from './admin-catalog.resolver';
import { AuthResolver } from './auth.resolver';
import { CancelOrderResolver } from './cancel-order.resolver';
import { CartResolver } from './cart.resolver';
import { ProductResolver, ShippingMethodResolver, VariantResolver } from './catalog.resolver';
import { CheckoutResolver } from './checkout.resolver';
import { CustomerOrdersResolver, OrderLineResolver, OrderResolver, SellerTransferResolver } from './order.resolver';
import { CustomerCreditResolver, VoucherRedemptionResolver } from './voucher-redemption.resolver';
import { RefundResolver } from './refund.resolver';
import { PaymentLinkResolver } from './payment-link.resolver';
import { OperationsResolver } from './operations.resolver';
import { PartnerResolver } from './partner.resolver';
import { CustomerLicensesResolver, LicenseResolver, OrderLicensesResolver } from './license.resolver';
import { CustomerSubscriptionsResolver, OrderSubscriptionResolver, SubscriptionPeriodResolver, SubscriptionResolver } from './subscription.resolver';

/** Every resolver class; one file per area. */
export const resolvers: NonEmptyArray<ClassType> = [
  AuthResolver,
  CartResolver,
  OrderResolver,
  OrderLineResolver,
  SellerTransferResolver,
  CustomerOrdersResolver,
  ProductResolver,
  VariantResolver,
  ShippingMethodResolver,
  AdminCatalogResolver,
  CheckoutResolver,
  CancelOrderResolver,
  VoucherRedemptionResolver,
  CustomerCreditResolver,
  RefundResolver,
  PaymentLinkResolver,
  OperationsResolver,
  PartnerResolver,
  LicenseResolver,
  OrderLicensesResolver,
  CustomerLicensesResolver,
  SubscriptionResolver,
  SubscriptionPeriodResolver,
  CustomerSubscriptionsResolver,
  OrderSubscriptionResolver,
];
