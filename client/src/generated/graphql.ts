/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AddCartLineInput = {
  cartId: string | number;
  quantity: number;
  variantId: string | number;
};

export type AddressInput = {
  city: string;
  country: string;
  line1: string;
  name: string;
  postalCode: string;
};

export type AttachCartInput = {
  /** A guest cart; it moves into the signed-in customer's account (merged with an open cart of the same currency). */
  cartId: string | number;
};

export type CartStatus =
  | 'CONVERTED'
  | 'OPEN';

export type CartVoucherInput = {
  cartId: string | number;
  code: string;
};

export type ConfirmCheckoutInput = {
  /** Accept prices that moved beyond the allowed drift (after a PriceChangedError). */
  acknowledgePriceChange?: boolean | null | undefined;
  cartId: string | number;
  paymentMethod: PaymentMethodKind;
  /** Where HOSTED_CHECKOUT returns the buyer. */
  returnUrl?: string | null | undefined;
  /** Stripe payment method id (pm_...) for CARD. */
  stripePaymentMethodId?: string | null | undefined;
  /** Spend store credit first; the rest goes to paymentMethod. */
  useCredit?: boolean | null | undefined;
  /** The cart versionKey the buyer saw. A different current key gives CART_VERSION_MISMATCH. */
  versionKey: string;
};

export type CreateCartInput = {
  /** ISO 4217 code. */
  currency: string;
  /** Required for guest carts before checkout. */
  email?: string | null | undefined;
};

export type ErrorCode =
  | 'ALREADY_SUBSCRIBED'
  | 'CART_CLOSED'
  | 'CART_EMPTY'
  | 'CART_VERSION_MISMATCH'
  | 'CHECKOUT_IN_PROGRESS'
  | 'CURRENCY_MISMATCH'
  | 'EMAIL_TAKEN'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'INSUFFICIENT_CREDIT'
  | 'INSUFFICIENT_STOCK'
  | 'INVALID_CREDENTIALS'
  | 'INVALID_STATE_TRANSITION'
  | 'NOT_FOUND'
  | 'ORDER_AMOUNT_OUT_OF_RANGE'
  | 'PAYMENT_DECLINED'
  | 'PAYMENT_PROVIDER_NOT_CONFIGURED'
  | 'PAYMENT_PROVIDER_UNAVAILABLE'
  | 'PRICE_CHANGED'
  | 'REFUND_EXCEEDS_REFUNDABLE'
  | 'RESERVATION_EXPIRED'
  | 'SHIPPING_METHOD_REQUIRED'
  | 'VALIDATION_FAILED'
  | 'VOUCHER_ALREADY_REDEEMED'
  | 'VOUCHER_EXHAUSTED'
  | 'VOUCHER_EXPIRED'
  | 'VOUCHER_NOT_APPLICABLE'
  | 'VOUCHER_NOT_FOUND'
  | 'VOUCHER_NOT_STARTED';

export type LicenseStatus =
  | 'ACTIVE'
  | 'REVOKED';

export type LogInInput = {
  email: string;
  password: string;
};

export type OrderStatus =
  | 'CANCELLED'
  | 'PARTIALLY_REFUNDED'
  | 'PENDING_PAYMENT'
  | 'PLACED'
  | 'REFUNDED';

export type PaymentMethodKind =
  | 'CARD'
  | 'CASH_ON_DELIVERY'
  | 'HOSTED_CHECKOUT'
  | 'STORE_CREDIT';

export type PaymentStatus =
  | 'AUTHORIZED'
  | 'CANCELLED'
  | 'CAPTURED'
  | 'FAILED'
  | 'PENDING'
  | 'REQUIRES_ACTION';

export type Role =
  | 'ADMIN'
  | 'CUSTOMER';

export type SetShippingAddressInput = {
  address: AddressInput;
  cartId: string | number;
};

export type SetShippingMethodInput = {
  cartId: string | number;
  shippingMethodId: string | number;
};

export type SignUpInput = {
  email: string;
  password: string;
};

export type StartCheckoutInput = {
  cartId: string | number;
};

export type UpdateCartLineInput = {
  cartId: string | number;
  lineId: string | number;
  /** 0 removes the line. */
  quantity: number;
};

export type CustomerFieldsFragment = { id: string, email: string, role: Role };

type AuthResultFields_AuthPayload_Fragment = { __typename: 'AuthPayload', token: string, customer: { id: string, email: string, role: Role } };

type AuthResultFields_UserError_Fragment = { __typename: 'UserError', errorCode: ErrorCode, message: string, field: string | null };

export type AuthResultFieldsFragment =
  | AuthResultFields_AuthPayload_Fragment
  | AuthResultFields_UserError_Fragment
;

export type LogInMutationVariables = Exact<{
  input: LogInInput;
}>;


export type LogInMutation = { logIn:
    | { __typename: 'AuthPayload', token: string, customer: { id: string, email: string, role: Role } }
    | { __typename: 'UserError', errorCode: ErrorCode, message: string, field: string | null }
   };

export type SignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type SignUpMutation = { signUp:
    | { __typename: 'AuthPayload', token: string, customer: { id: string, email: string, role: Role } }
    | { __typename: 'UserError', errorCode: ErrorCode, message: string, field: string | null }
   };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, email: string, role: Role } | null };

export type CartFieldsFragment = { id: string, status: CartStatus, currency: string, version: number, versionKey: string, email: string | null, voucherCodes: Array<string>, pricesValidatedAt: string | null, lines: Array<{ id: string, quantity: number, variant: { id: string, sku: string, name: string }, unitPrice: { amount: number, currency: string }, discount: { amount: number, currency: string }, total: { amount: number, currency: string } }>, shippingMethod: { id: string, name: string, price: { amount: number, currency: string } } | null, shippingAddress: { name: string, line1: string, city: string, postalCode: string, country: string } | null, totals: { subtotal: { amount: number, currency: string }, discount: { amount: number, currency: string }, shipping: { amount: number, currency: string }, shippingDiscount: { amount: number, currency: string }, tax: { amount: number, currency: string }, total: { amount: number, currency: string } } };

type CartResultFields_Cart_Fragment = { __typename: 'Cart', id: string, status: CartStatus, currency: string, version: number, versionKey: string, email: string | null, voucherCodes: Array<string>, pricesValidatedAt: string | null, lines: Array<{ id: string, quantity: number, variant: { id: string, sku: string, name: string }, unitPrice: { amount: number, currency: string }, discount: { amount: number, currency: string }, total: { amount: number, currency: string } }>, shippingMethod: { id: string, name: string, price: { amount: number, currency: string } } | null, shippingAddress: { name: string, line1: string, city: string, postalCode: string, country: string } | null, totals: { subtotal: { amount: number, currency: string }, discount: { amount: number, currency: string }, shipping: { amount: number, currency: string }, shippingDiscount: { amount: number, currency: string }, tax: { amount: number, currency: string }, total: { amount: number, currency: string } } };

type CartResultFields_InsufficientStockError_Fragment = { __typename: 'InsufficientStockError', errorCode: ErrorCode, message: string, shortfalls: Array<{ variantId: string, requested: number, available: number }> };

type CartResultFields_UserError_Fragment = { __typename: 'UserError', errorCode: ErrorCode, message: string, field: string | null };

export type CartResultFieldsFragment =
  | CartResultFields_Cart_Fragment
  | CartResultFields_InsufficientStockError_Fragment
  | CartResultFields_UserError_Fragment
;

export type CreateCartMutationVariables = Exact<{
  input: CreateCartInput;
}>;


export type CreateCartMutation = { createCart: { id: string, status: CartStatus, currency: string, version: number, versionKey: string, email: string | null, voucherCodes: Array<string>, pricesValidatedAt: string | null, lines: Array<{ id: string, quantity: number, variant: { id: string, sku: string, name: string }, unitPrice: { amount: number, currency: string }, discount: { amount: number, currency: string }, total: { amount: number, currency: string } }>, shippingMethod: { id: string, name: string, price: { amount: number, currency: string } } | null, shippingAddress: { name: string, line1: string, city: string, postalCode: string, country: string } | null, totals: { subtotal: { amount: number, currency: string }, discount: { amount: number, currency: string }, shipping: { amount: number, currency: string }, shippingDiscount: { amount: number, currency: string }, tax: { amount: number, currency: string }, total: { amount: number, currency: string } } } };

export type CartQueryVariables = Exact<{
  id: string | number;
}>;


export type CartQuery = { cart: { id: string, status: CartStatus, currency: string, version: number, versionKey: string, email: string | null, voucherCodes: Array<string>, pricesValidatedAt: string | null, lines: Array<{ id: string, quantity: number, variant: { id: string, sku: string, name: string }, unitPrice: { amount: number, currency: string }, discount: { amount: number, currency: string }, total: { amount: number, currency: string } }>, shippingMethod: { id: string, name: string, price: { amount: number, currency: string } } | null, shippingAddress: { name: string, line1: string, city: string, postalCode: string, country: string } | null, totals: { subtotal: { amount: number, currency: string }, discount: { amount: number, currency: string }, shipping: { amount: number, currency: string }, shippingDiscount: { amount: number, currency: string }, tax: { amount: number, currency: string }, total: { amount: number, currency: string } } } | null };

export type AddCartLineMutationVariables = Exact<{
  input: AddCartLineInput;
}>;


export type AddCartLineMutation = { addCartLine:
    | { __typename: 'Cart', id: string, status: CartStatus, currency: string, version: number, versionKey: string, email: string | null, voucherCodes: Array<string>, pricesValidatedAt: string | null, lines: Array<{ id: string, quantity: number, variant: { id: string, sku: string, name: string }, unitPrice: { amount: number, currency: string }, discount: { amount: number, currency: string }, total: { amount: number, currency: string } }>, shippingMethod: { id: string, name: string, price: { amount: number, currency: string } } | null, shippingAddress: { name: string, line1: string, city: string, postalCode: string, country: string } | null, totals: { subtotal: { amount: number, currency: string }, discount: { amount: number, currency: string }, shipping: { amount: number, currency: string }, shippingDiscount: { amount: number, currency: string }, tax: { amount: number, currency: string }, total: { amount: number, currency: string } } }
    | { __typename: 'InsufficientStockError', errorCode: ErrorCode, message: string, shortfalls: Array<{ variantId: string, requested: number, available: number }> }
    | { __typename: 'UserError', errorCode: ErrorCode, message: string, field: string | null }
   };

export type UpdateCartLineMutationVariables = Exact<{
  input: UpdateCartLineInput;
}>;


export type UpdateCartLineMutation = { updateCartLine:
    | { __typename: 'Cart', id: string, status: CartStatus, currency: string, version: number, versionKey: string, email: string | null, voucherCodes: Array<string>, pricesValidatedAt: string | null, lines: Array<{ id: string, quantity: number, variant: { id: string, sku: string, name: string }, unitPrice: { amount: number, currency: string }, discount: { amount: number, currency: string }, total: { amount: number, currency: string } }>, shippingMethod: { id: string, name: string, price: { amount: number, currency: string } } | null, shippingAddress: { name: string, line1: string, city: string, postalCode: string, country: string } | null, totals: { subtotal: { amount: number, currency: string }, discount: { amount: number, currency: string }, shipping: { amount: number, currency: string }, shippingDiscount: { amount: number, currency: string }, tax: { amount: number, currency: string }, total: { amount: number, currency: string } } }
    | { __typename: 'InsufficientStockError', errorCode: ErrorCode, message: string, shortfalls: Array<{ variantId: string, requested: number, available: number }> }
    | { __typename: 'UserError', errorCode: ErrorCode, message: string, field: string | null }
   };

export type ApplyVoucherMutationVariables = Exact<{
  input: CartVoucherInput;
}>;


export type ApplyVoucherMutation = { applyVoucher:
    | { __typename: 'Cart', id: string, status: CartStatus, currency: string, version: number, versionKey: string, email: string | null, voucherCodes: Array<string>, pricesValidatedAt: string | null, lines: Array<{ id: string, quantity: number, variant: { id: string, sku: string, name: string }, unitPrice: { amount: number, currency: string }, discount: { amount: number, currency: string }, total: { amount: number, currency: string } }>, shippingMethod: { id: string, name: string, price: { amount: number, currency: string } } | null, shippingAddress: { name: string, line1: string, city: string, postalCode: string, country: string } | null, totals: { subtotal: { amount: number, currency: string }, discount: { amount: number, currency: string }, shipping: { amount: number, currency: string }, shippingDiscount: { amount: number, currency: string }, tax: { amount: number, currency: string }, total: { amount: number, currency: string } } }
    | { __typename: 'InsufficientStockError', errorCode: ErrorCode, message: string, shortfalls: Array<{ variantId: string, requested: number, available: number }> }
    | { __typename: 'UserError', errorCode: ErrorCode, message: string, field: string | null }
   };

export type RemoveVoucherMutationVariables = Exact<{
  input: CartVoucherInput;
}>;


export type RemoveVoucherMutation = { removeVoucher:
    | { __typename: 'Cart', id: string, status: CartStatus, currency: string, version: number, versionKey: string, email: string | null, voucherCodes: Array<string>, pricesValidatedAt: string | null, lines: Array<{ id: string, quantity: number, variant: { id: string, sku: string, name: string }, unitPrice: { amount: number, currency: string }, discount: { amount: number, currency: string }, total: { amount: number, currency: string } }>, shippingMethod: { id: string, name: string, price: { amount: number, currency: string } } | null, shippingAddress: { name: string, line1: string, city: string, postalCode: string, country: string } | null, totals: { subtotal: { amount: number, currency: string }, discount: { amount: number, currency: string }, shipping: { amount: number, currency: string }, shippingDiscount: { amount: number, currency: string }, tax: { amount: number, currency: string }, total: { amount: number, currency: string } } }
    | { __typename: 'InsufficientStockError', errorCode: ErrorCode, message: string, shortfalls: Array<{ variantId: string, requested: number, available: number }> }
    | { __typename: 'UserError', errorCode: ErrorCode, message: string, field: string | null }
   };

export type SetShippingAddressMutationVariables = Exact<{
  input: SetShippingAddressInput;
}>;


export type SetShippingAddressMutation = { setShippingAddress:
    | { __typename: 'Cart', id: string, status: CartStatus, currency: string, version: number, versionKey: string, email: string | null, voucherCodes: Array<string>, pricesValidatedAt: string | null, lines: Array<{ id: string, quantity: number, variant: { id: string, sku: string, name: string }, unitPrice: { amount: number, currency: string }, discount: { amount: number, currency: string }, total: { amount: number, currency: string } }>, shippingMethod: { id: string, name: string, price: { amount: number, currency: string } } | null, shippingAddress: { name: string, line1: string, city: string, postalCode: string, country: string } | null, totals: { subtotal: { amount: number, currency: string }, discount: { amount: number, currency: string }, shipping: { amount: number, currency: string }, shippingDiscount: { amount: number, currency: string }, tax: { amount: number, currency: string }, total: { amount: number, currency: string } } }
    | { __typename: 'InsufficientStockError', errorCode: ErrorCode, message: string, shortfalls: Array<{ variantId: string, requested: number, available: number }> }
    | { __typename: 'UserError', errorCode: ErrorCode, message: string, field: string | null }
   };

export type SetShippingMethodMutationVariables = Exact<{
  input: SetShippingMethodInput;
}>;


export type SetShippingMethodMutation = { setShippingMethod:
    | { __typename: 'Cart', id: string, status: CartStatus, currency: string, version: number, versionKey: string, email: string | null, voucherCodes: Array<string>, pricesValidatedAt: string | null, lines: Array<{ id: string, quantity: number, variant: { id: string, sku: string, name: string }, unitPrice: { amount: number, currency: string }, discount: { amount: number, currency: string }, total: { amount: number, currency: string } }>, shippingMethod: { id: string, name: string, price: { amount: number, currency: string } } | null, shippingAddress: { name: string, line1: string, city: string, postalCode: string, country: string } | null, totals: { subtotal: { amount: number, currency: string }, discount: { amount: number, currency: string }, shipping: { amount: number, currency: string }, shippingDiscount: { amount: number, currency: string }, tax: { amount: number, currency: string }, total: { amount: number, currency: string } } }
    | { __typename: 'InsufficientStockError', errorCode: ErrorCode, message: string, shortfalls: Array<{ variantId: string, requested: number, available: number }> }
    | { __typename: 'UserError', errorCode: ErrorCode, message: string, field: string | null }
   };

export type AttachCartMutationVariables = Exact<{
  input: AttachCartInput;
}>;


export type AttachCartMutation = { attachCart:
    | { __typename: 'Cart', id: string, status: CartStatus, currency: string, version: number, versionKey: string, email: string | null, voucherCodes: Array<string>, pricesValidatedAt: string | null, lines: Array<{ id: string, quantity: number, variant: { id: string, sku: string, name: string }, unitPrice: { amount: number, currency: string }, discount: { amount: number, currency: string }, total: { amount: number, currency: string } }>, shippingMethod: { id: string, name: string, price: { amount: number, currency: string } } | null, shippingAddress: { name: string, line1: string, city: string, postalCode: string, country: string } | null, totals: { subtotal: { amount: number, currency: string }, discount: { amount: number, currency: string }, shipping: { amount: number, currency: string }, shippingDiscount: { amount: number, currency: string }, tax: { amount: number, currency: string }, total: { amount: number, currency: string } } }
    | { __typename: 'InsufficientStockError', errorCode: ErrorCode, message: string, shortfalls: Array<{ variantId: string, requested: number, available: number }> }
    | { __typename: 'UserError', errorCode: ErrorCode, message: string, field: string | null }
   };

export type VariantFieldsFragment = { id: string, sku: string, name: string, available: number, price: { amount: number, currency: string } };

export type ProductFieldsFragment = { id: string, name: string, seller: { id: string, name: string } | null, variants: Array<{ id: string, sku: string, name: string, available: number, price: { amount: number, currency: string } }> };

export type ShippingMethodFieldsFragment = { id: string, name: string, price: { amount: number, currency: string } };

export type ProductsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ProductsQuery = { products: { nodes: Array<{ id: string, name: string, seller: { id: string, name: string } | null, variants: Array<{ id: string, sku: string, name: string, available: number, price: { amount: number, currency: string } }> }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type ProductQueryVariables = Exact<{
  id: string | number;
}>;


export type ProductQuery = { product: { id: string, name: string, seller: { id: string, name: string } | null, variants: Array<{ id: string, sku: string, name: string, available: number, price: { amount: number, currency: string } }> } | null };

export type VariantQueryVariables = Exact<{
  id: string | number;
}>;


export type VariantQuery = { variant: { id: string, sku: string, name: string, available: number, product: { id: string, name: string }, price: { amount: number, currency: string } } | null };

export type ShippingMethodsQueryVariables = Exact<{
  currency: string;
}>;


export type ShippingMethodsQuery = { shippingMethods: Array<{ id: string, name: string, price: { amount: number, currency: string } }> };

export type PriceChangedErrorFieldsFragment = { errorCode: ErrorCode, message: string, versionKey: string, changes: Array<{ variantId: string, previous: { amount: number, currency: string }, current: { amount: number, currency: string } }> };

export type InsufficientStockErrorFieldsFragment = { errorCode: ErrorCode, message: string, shortfalls: Array<{ variantId: string, requested: number, available: number }> };

export type StartCheckoutMutationVariables = Exact<{
  input: StartCheckoutInput;
}>;


export type StartCheckoutMutation = { startCheckout:
    | { __typename: 'CheckoutPreview', versionKey: string, reservationsExpireAt: string, warnings: Array<string>, cart: { id: string, status: CartStatus, currency: string, version: number, versionKey: string, email: string | null, voucherCodes: Array<string>, pricesValidatedAt: string | null, lines: Array<{ id: string, quantity: number, variant: { id: string, sku: string, name: string }, unitPrice: { amount: number, currency: string }, discount: { amount: number, currency: string }, total: { amount: number, currency: string } }>, shippingMethod: { id: string, name: string, price: { amount: number, currency: string } } | null, shippingAddress: { name: string, line1: string, city: string, postalCode: string, country: string } | null, totals: { subtotal: { amount: number, currency: string }, discount: { amount: number, currency: string }, shipping: { amount: number, currency: string }, shippingDiscount: { amount: number, currency: string }, tax: { amount: number, currency: string }, total: { amount: number, currency: string } } } }
    | { __typename: 'InsufficientStockError', errorCode: ErrorCode, message: string, shortfalls: Array<{ variantId: string, requested: number, available: number }> }
    | { __typename: 'PriceChangedError', errorCode: ErrorCode, message: string, versionKey: string, changes: Array<{ variantId: string, previous: { amount: number, currency: string }, current: { amount: number, currency: string } }> }
    | { __typename: 'UserError', errorCode: ErrorCode, message: string, field: string | null }
   };

export type ConfirmCheckoutMutationVariables = Exact<{
  input: ConfirmCheckoutInput;
}>;


export type ConfirmCheckoutMutation = { confirmCheckout:
    | { __typename: 'CheckoutConfirmation', replayed: boolean, orderToken: string, order: { id: string, number: string, status: OrderStatus, email: string, voucherCodes: Array<string>, shippingMethodName: string | null, createdAt: string, placedAt: string | null, shippingAddress: { name: string, line1: string, city: string, postalCode: string, country: string } | null, totals: { subtotal: { amount: number, currency: string }, discount: { amount: number, currency: string }, shipping: { amount: number, currency: string }, shippingDiscount: { amount: number, currency: string }, tax: { amount: number, currency: string }, total: { amount: number, currency: string }, creditApplied: { amount: number, currency: string }, amountDue: { amount: number, currency: string }, refunded: { amount: number, currency: string } }, lines: Array<{ id: string, sku: string, name: string, quantity: number, unitPrice: { amount: number, currency: string }, discount: { amount: number, currency: string }, total: { amount: number, currency: string } }>, payments: Array<{ id: string, kind: PaymentMethodKind, status: PaymentStatus, checkoutUrl: string | null, clientSecret: string | null, amount: { amount: number, currency: string } }> }, payment: { id: string, kind: PaymentMethodKind, status: PaymentStatus, checkoutUrl: string | null, clientSecret: string | null, amount: { amount: number, currency: string } } | null }
    | { __typename: 'InsufficientStockError', errorCode: ErrorCode, message: string, shortfalls: Array<{ variantId: string, requested: number, available: number }> }
    | { __typename: 'PriceChangedError', errorCode: ErrorCode, message: string, versionKey: string, changes: Array<{ variantId: string, previous: { amount: number, currency: string }, current: { amount: number, currency: string } }> }
    | { __typename: 'UserError', errorCode: ErrorCode, message: string, field: string | null }
   };

export type MoneyFieldsFragment = { amount: number, currency: string };

export type UserErrorFieldsFragment = { errorCode: ErrorCode, message: string, field: string | null };

export type PaymentFieldsFragment = { id: string, kind: PaymentMethodKind, status: PaymentStatus, checkoutUrl: string | null, clientSecret: string | null, amount: { amount: number, currency: string } };

export type OrderFieldsFragment = { id: string, number: string, status: OrderStatus, email: string, voucherCodes: Array<string>, shippingMethodName: string | null, createdAt: string, placedAt: string | null, shippingAddress: { name: string, line1: string, city: string, postalCode: string, country: string } | null, totals: { subtotal: { amount: number, currency: string }, discount: { amount: number, currency: string }, shipping: { amount: number, currency: string }, shippingDiscount: { amount: number, currency: string }, tax: { amount: number, currency: string }, total: { amount: number, currency: string }, creditApplied: { amount: number, currency: string }, amountDue: { amount: number, currency: string }, refunded: { amount: number, currency: string } }, lines: Array<{ id: string, sku: string, name: string, quantity: number, unitPrice: { amount: number, currency: string }, discount: { amount: number, currency: string }, total: { amount: number, currency: string } }>, payments: Array<{ id: string, kind: PaymentMethodKind, status: PaymentStatus, checkoutUrl: string | null, clientSecret: string | null, amount: { amount: number, currency: string } }> };

export type OrderByTokenQueryVariables = Exact<{
  token: string;
}>;


export type OrderByTokenQuery = { orderByToken: { id: string, number: string, status: OrderStatus, email: string, voucherCodes: Array<string>, shippingMethodName: string | null, createdAt: string, placedAt: string | null, shippingAddress: { name: string, line1: string, city: string, postalCode: string, country: string } | null, totals: { subtotal: { amount: number, currency: string }, discount: { amount: number, currency: string }, shipping: { amount: number, currency: string }, shippingDiscount: { amount: number, currency: string }, tax: { amount: number, currency: string }, total: { amount: number, currency: string }, creditApplied: { amount: number, currency: string }, amountDue: { amount: number, currency: string }, refunded: { amount: number, currency: string } }, lines: Array<{ id: string, sku: string, name: string, quantity: number, unitPrice: { amount: number, currency: string }, discount: { amount: number, currency: string }, total: { amount: number, currency: string } }>, payments: Array<{ id: string, kind: PaymentMethodKind, status: PaymentStatus, checkoutUrl: string | null, clientSecret: string | null, amount: { amount: number, currency: string } }> } | null };

export type MyOrdersQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type MyOrdersQuery = { me: { id: string, orders: { nodes: Array<{ id: string, number: string, status: OrderStatus, email: string, voucherCodes: Array<string>, shippingMethodName: string | null, createdAt: string, placedAt: string | null, shippingAddress: { name: string, line1: string, city: string, postalCode: string, country: string } | null, totals: { subtotal: { amount: number, currency: string }, discount: { amount: number, currency: string }, shipping: { amount: number, currency: string }, shippingDiscount: { amount: number, currency: string }, tax: { amount: number, currency: string }, total: { amount: number, currency: string }, creditApplied: { amount: number, currency: string }, amountDue: { amount: number, currency: string }, refunded: { amount: number, currency: string } }, lines: Array<{ id: string, sku: string, name: string, quantity: number, unitPrice: { amount: number, currency: string }, discount: { amount: number, currency: string }, total: { amount: number, currency: string } }>, payments: Array<{ id: string, kind: PaymentMethodKind, status: PaymentStatus, checkoutUrl: string | null, clientSecret: string | null, amount: { amount: number, currency: string } }> }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } } | null };

export type VerifyLicenseQueryVariables = Exact<{
  key: string;
}>;


export type VerifyLicenseQuery = { verifyLicense: { valid: boolean, status: LicenseStatus | null, productName: string | null, variantSku: string | null, revokedAt: string | null } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const CustomerFieldsFragmentDoc = new TypedDocumentString(`
    fragment CustomerFields on Customer {
  id
  email
  role
}
    `, {"fragmentName":"CustomerFields"}) as unknown as TypedDocumentString<CustomerFieldsFragment, unknown>;
export const UserErrorFieldsFragmentDoc = new TypedDocumentString(`
    fragment UserErrorFields on UserError {
  errorCode
  message
  field
}
    `, {"fragmentName":"UserErrorFields"}) as unknown as TypedDocumentString<UserErrorFieldsFragment, unknown>;
export const AuthResultFieldsFragmentDoc = new TypedDocumentString(`
    fragment AuthResultFields on AuthResult {
  __typename
  ... on AuthPayload {
    token
    customer {
      ...CustomerFields
    }
  }
  ... on UserError {
    ...UserErrorFields
  }
}
    fragment CustomerFields on Customer {
  id
  email
  role
}
fragment UserErrorFields on UserError {
  errorCode
  message
  field
}`, {"fragmentName":"AuthResultFields"}) as unknown as TypedDocumentString<AuthResultFieldsFragment, unknown>;
export const MoneyFieldsFragmentDoc = new TypedDocumentString(`
    fragment MoneyFields on Money {
  amount
  currency
}
    `, {"fragmentName":"MoneyFields"}) as unknown as TypedDocumentString<MoneyFieldsFragment, unknown>;
export const ShippingMethodFieldsFragmentDoc = new TypedDocumentString(`
    fragment ShippingMethodFields on ShippingMethod {
  id
  name
  price {
    ...MoneyFields
  }
}
    fragment MoneyFields on Money {
  amount
  currency
}`, {"fragmentName":"ShippingMethodFields"}) as unknown as TypedDocumentString<ShippingMethodFieldsFragment, unknown>;
export const CartFieldsFragmentDoc = new TypedDocumentString(`
    fragment CartFields on Cart {
  id
  status
  currency
  version
  versionKey
  email
  lines {
    id
    variant {
      id
      sku
      name
    }
    quantity
    unitPrice {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  voucherCodes
  shippingMethod {
    ...ShippingMethodFields
  }
  shippingAddress {
    name
    line1
    city
    postalCode
    country
  }
  totals {
    subtotal {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    shipping {
      ...MoneyFields
    }
    shippingDiscount {
      ...MoneyFields
    }
    tax {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  pricesValidatedAt
}
    fragment ShippingMethodFields on ShippingMethod {
  id
  name
  price {
    ...MoneyFields
  }
}
fragment MoneyFields on Money {
  amount
  currency
}`, {"fragmentName":"CartFields"}) as unknown as TypedDocumentString<CartFieldsFragment, unknown>;
export const CartResultFieldsFragmentDoc = new TypedDocumentString(`
    fragment CartResultFields on CartResult {
  __typename
  ... on Cart {
    ...CartFields
  }
  ... on UserError {
    ...UserErrorFields
  }
  ... on InsufficientStockError {
    errorCode
    message
    shortfalls {
      variantId
      requested
      available
    }
  }
}
    fragment CartFields on Cart {
  id
  status
  currency
  version
  versionKey
  email
  lines {
    id
    variant {
      id
      sku
      name
    }
    quantity
    unitPrice {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  voucherCodes
  shippingMethod {
    ...ShippingMethodFields
  }
  shippingAddress {
    name
    line1
    city
    postalCode
    country
  }
  totals {
    subtotal {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    shipping {
      ...MoneyFields
    }
    shippingDiscount {
      ...MoneyFields
    }
    tax {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  pricesValidatedAt
}
fragment ShippingMethodFields on ShippingMethod {
  id
  name
  price {
    ...MoneyFields
  }
}
fragment MoneyFields on Money {
  amount
  currency
}
fragment UserErrorFields on UserError {
  errorCode
  message
  field
}`, {"fragmentName":"CartResultFields"}) as unknown as TypedDocumentString<CartResultFieldsFragment, unknown>;
export const VariantFieldsFragmentDoc = new TypedDocumentString(`
    fragment VariantFields on Variant {
  id
  sku
  name
  price {
    ...MoneyFields
  }
  available
}
    fragment MoneyFields on Money {
  amount
  currency
}`, {"fragmentName":"VariantFields"}) as unknown as TypedDocumentString<VariantFieldsFragment, unknown>;
export const ProductFieldsFragmentDoc = new TypedDocumentString(`
    fragment ProductFields on Product {
  id
  name
  seller {
    id
    name
  }
  variants {
    ...VariantFields
  }
}
    fragment VariantFields on Variant {
  id
  sku
  name
  price {
    ...MoneyFields
  }
  available
}
fragment MoneyFields on Money {
  amount
  currency
}`, {"fragmentName":"ProductFields"}) as unknown as TypedDocumentString<ProductFieldsFragment, unknown>;
export const PriceChangedErrorFieldsFragmentDoc = new TypedDocumentString(`
    fragment PriceChangedErrorFields on PriceChangedError {
  errorCode
  message
  changes {
    variantId
    previous {
      ...MoneyFields
    }
    current {
      ...MoneyFields
    }
  }
  versionKey
}
    fragment MoneyFields on Money {
  amount
  currency
}`, {"fragmentName":"PriceChangedErrorFields"}) as unknown as TypedDocumentString<PriceChangedErrorFieldsFragment, unknown>;
export const InsufficientStockErrorFieldsFragmentDoc = new TypedDocumentString(`
    fragment InsufficientStockErrorFields on InsufficientStockError {
  errorCode
  message
  shortfalls {
    variantId
    requested
    available
  }
}
    `, {"fragmentName":"InsufficientStockErrorFields"}) as unknown as TypedDocumentString<InsufficientStockErrorFieldsFragment, unknown>;
export const PaymentFieldsFragmentDoc = new TypedDocumentString(`
    fragment PaymentFields on Payment {
  id
  kind
  status
  amount {
    ...MoneyFields
  }
  checkoutUrl
  clientSecret
}
    fragment MoneyFields on Money {
  amount
  currency
}`, {"fragmentName":"PaymentFields"}) as unknown as TypedDocumentString<PaymentFieldsFragment, unknown>;
export const OrderFieldsFragmentDoc = new TypedDocumentString(`
    fragment OrderFields on Order {
  id
  number
  status
  email
  voucherCodes
  shippingMethodName
  shippingAddress {
    name
    line1
    city
    postalCode
    country
  }
  totals {
    subtotal {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    shipping {
      ...MoneyFields
    }
    shippingDiscount {
      ...MoneyFields
    }
    tax {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
    creditApplied {
      ...MoneyFields
    }
    amountDue {
      ...MoneyFields
    }
    refunded {
      ...MoneyFields
    }
  }
  createdAt
  placedAt
  lines {
    id
    sku
    name
    quantity
    unitPrice {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  payments {
    ...PaymentFields
  }
}
    fragment MoneyFields on Money {
  amount
  currency
}
fragment PaymentFields on Payment {
  id
  kind
  status
  amount {
    ...MoneyFields
  }
  checkoutUrl
  clientSecret
}`, {"fragmentName":"OrderFields"}) as unknown as TypedDocumentString<OrderFieldsFragment, unknown>;
export const LogInDocument = new TypedDocumentString(`
    mutation LogIn($input: LogInInput!) {
  logIn(input: $input) {
    ...AuthResultFields
  }
}
    fragment CustomerFields on Customer {
  id
  email
  role
}
fragment AuthResultFields on AuthResult {
  __typename
  ... on AuthPayload {
    token
    customer {
      ...CustomerFields
    }
  }
  ... on UserError {
    ...UserErrorFields
  }
}
fragment UserErrorFields on UserError {
  errorCode
  message
  field
}`, {"hash":"sha256:41b08b0dbdd052065621175ad348500a0be9288da81cc4843aee4cdb8adfbd0b"}) as unknown as TypedDocumentString<LogInMutation, LogInMutationVariables>;
export const SignUpDocument = new TypedDocumentString(`
    mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) {
    ...AuthResultFields
  }
}
    fragment CustomerFields on Customer {
  id
  email
  role
}
fragment AuthResultFields on AuthResult {
  __typename
  ... on AuthPayload {
    token
    customer {
      ...CustomerFields
    }
  }
  ... on UserError {
    ...UserErrorFields
  }
}
fragment UserErrorFields on UserError {
  errorCode
  message
  field
}`, {"hash":"sha256:cd70d32ba0899a35e39670bf8d0c46ee084f8f6c5c6884cb24e0a1b189f6c136"}) as unknown as TypedDocumentString<SignUpMutation, SignUpMutationVariables>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    ...CustomerFields
  }
}
    fragment CustomerFields on Customer {
  id
  email
  role
}`, {"hash":"sha256:4bb6ba6a6b4dddda7671f5a0483b898666c0d7fb14d530f138947295e932a71c"}) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const CreateCartDocument = new TypedDocumentString(`
    mutation CreateCart($input: CreateCartInput!) {
  createCart(input: $input) {
    ...CartFields
  }
}
    fragment CartFields on Cart {
  id
  status
  currency
  version
  versionKey
  email
  lines {
    id
    variant {
      id
      sku
      name
    }
    quantity
    unitPrice {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  voucherCodes
  shippingMethod {
    ...ShippingMethodFields
  }
  shippingAddress {
    name
    line1
    city
    postalCode
    country
  }
  totals {
    subtotal {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    shipping {
      ...MoneyFields
    }
    shippingDiscount {
      ...MoneyFields
    }
    tax {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  pricesValidatedAt
}
fragment ShippingMethodFields on ShippingMethod {
  id
  name
  price {
    ...MoneyFields
  }
}
fragment MoneyFields on Money {
  amount
  currency
}`, {"hash":"sha256:268cdce6ced9e3cff1d045029a50d3760a9e4fa3aebbaba4d63b286ba900a1d7"}) as unknown as TypedDocumentString<CreateCartMutation, CreateCartMutationVariables>;
export const CartDocument = new TypedDocumentString(`
    query Cart($id: ID!) {
  cart(id: $id) {
    ...CartFields
  }
}
    fragment CartFields on Cart {
  id
  status
  currency
  version
  versionKey
  email
  lines {
    id
    variant {
      id
      sku
      name
    }
    quantity
    unitPrice {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  voucherCodes
  shippingMethod {
    ...ShippingMethodFields
  }
  shippingAddress {
    name
    line1
    city
    postalCode
    country
  }
  totals {
    subtotal {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    shipping {
      ...MoneyFields
    }
    shippingDiscount {
      ...MoneyFields
    }
    tax {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  pricesValidatedAt
}
fragment ShippingMethodFields on ShippingMethod {
  id
  name
  price {
    ...MoneyFields
  }
}
fragment MoneyFields on Money {
  amount
  currency
}`, {"hash":"sha256:4d931025ac5bd7ac3cb770decae2bf35567a52a778a050c75a8dcb259d591993"}) as unknown as TypedDocumentString<CartQuery, CartQueryVariables>;
export const AddCartLineDocument = new TypedDocumentString(`
    mutation AddCartLine($input: AddCartLineInput!) {
  addCartLine(input: $input) {
    ...CartResultFields
  }
}
    fragment CartFields on Cart {
  id
  status
  currency
  version
  versionKey
  email
  lines {
    id
    variant {
      id
      sku
      name
    }
    quantity
    unitPrice {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  voucherCodes
  shippingMethod {
    ...ShippingMethodFields
  }
  shippingAddress {
    name
    line1
    city
    postalCode
    country
  }
  totals {
    subtotal {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    shipping {
      ...MoneyFields
    }
    shippingDiscount {
      ...MoneyFields
    }
    tax {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  pricesValidatedAt
}
fragment CartResultFields on CartResult {
  __typename
  ... on Cart {
    ...CartFields
  }
  ... on UserError {
    ...UserErrorFields
  }
  ... on InsufficientStockError {
    errorCode
    message
    shortfalls {
      variantId
      requested
      available
    }
  }
}
fragment ShippingMethodFields on ShippingMethod {
  id
  name
  price {
    ...MoneyFields
  }
}
fragment MoneyFields on Money {
  amount
  currency
}
fragment UserErrorFields on UserError {
  errorCode
  message
  field
}`, {"hash":"sha256:466a119519ce1fba56f88f09ce07736a75fcd7005e374dc58e5f701309dd90a7"}) as unknown as TypedDocumentString<AddCartLineMutation, AddCartLineMutationVariables>;
export const UpdateCartLineDocument = new TypedDocumentString(`
    mutation UpdateCartLine($input: UpdateCartLineInput!) {
  updateCartLine(input: $input) {
    ...CartResultFields
  }
}
    fragment CartFields on Cart {
  id
  status
  currency
  version
  versionKey
  email
  lines {
    id
    variant {
      id
      sku
      name
    }
    quantity
    unitPrice {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  voucherCodes
  shippingMethod {
    ...ShippingMethodFields
  }
  shippingAddress {
    name
    line1
    city
    postalCode
    country
  }
  totals {
    subtotal {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    shipping {
      ...MoneyFields
    }
    shippingDiscount {
      ...MoneyFields
    }
    tax {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  pricesValidatedAt
}
fragment CartResultFields on CartResult {
  __typename
  ... on Cart {
    ...CartFields
  }
  ... on UserError {
    ...UserErrorFields
  }
  ... on InsufficientStockError {
    errorCode
    message
    shortfalls {
      variantId
      requested
      available
    }
  }
}
fragment ShippingMethodFields on ShippingMethod {
  id
  name
  price {
    ...MoneyFields
  }
}
fragment MoneyFields on Money {
  amount
  currency
}
fragment UserErrorFields on UserError {
  errorCode
  message
  field
}`, {"hash":"sha256:fd4e6de2808238c910e3742cb254225525abcfdc18ff75772d775441940bac14"}) as unknown as TypedDocumentString<UpdateCartLineMutation, UpdateCartLineMutationVariables>;
export const ApplyVoucherDocument = new TypedDocumentString(`
    mutation ApplyVoucher($input: CartVoucherInput!) {
  applyVoucher(input: $input) {
    ...CartResultFields
  }
}
    fragment CartFields on Cart {
  id
  status
  currency
  version
  versionKey
  email
  lines {
    id
    variant {
      id
      sku
      name
    }
    quantity
    unitPrice {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  voucherCodes
  shippingMethod {
    ...ShippingMethodFields
  }
  shippingAddress {
    name
    line1
    city
    postalCode
    country
  }
  totals {
    subtotal {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    shipping {
      ...MoneyFields
    }
    shippingDiscount {
      ...MoneyFields
    }
    tax {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  pricesValidatedAt
}
fragment CartResultFields on CartResult {
  __typename
  ... on Cart {
    ...CartFields
  }
  ... on UserError {
    ...UserErrorFields
  }
  ... on InsufficientStockError {
    errorCode
    message
    shortfalls {
      variantId
      requested
      available
    }
  }
}
fragment ShippingMethodFields on ShippingMethod {
  id
  name
  price {
    ...MoneyFields
  }
}
fragment MoneyFields on Money {
  amount
  currency
}
fragment UserErrorFields on UserError {
  errorCode
  message
  field
}`, {"hash":"sha256:f27ed829952ef330c0a7d0b422838a794f552564c0034b13b854d2a15a377ef0"}) as unknown as TypedDocumentString<ApplyVoucherMutation, ApplyVoucherMutationVariables>;
export const RemoveVoucherDocument = new TypedDocumentString(`
    mutation RemoveVoucher($input: CartVoucherInput!) {
  removeVoucher(input: $input) {
    ...CartResultFields
  }
}
    fragment CartFields on Cart {
  id
  status
  currency
  version
  versionKey
  email
  lines {
    id
    variant {
      id
      sku
      name
    }
    quantity
    unitPrice {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  voucherCodes
  shippingMethod {
    ...ShippingMethodFields
  }
  shippingAddress {
    name
    line1
    city
    postalCode
    country
  }
  totals {
    subtotal {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    shipping {
      ...MoneyFields
    }
    shippingDiscount {
      ...MoneyFields
    }
    tax {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  pricesValidatedAt
}
fragment CartResultFields on CartResult {
  __typename
  ... on Cart {
    ...CartFields
  }
  ... on UserError {
    ...UserErrorFields
  }
  ... on InsufficientStockError {
    errorCode
    message
    shortfalls {
      variantId
      requested
      available
    }
  }
}
fragment ShippingMethodFields on ShippingMethod {
  id
  name
  price {
    ...MoneyFields
  }
}
fragment MoneyFields on Money {
  amount
  currency
}
fragment UserErrorFields on UserError {
  errorCode
  message
  field
}`, {"hash":"sha256:4ae43414bdb1065a13bd22a0b2bff3d3f869fe8d7729b8a81a320c1299d3f032"}) as unknown as TypedDocumentString<RemoveVoucherMutation, RemoveVoucherMutationVariables>;
export const SetShippingAddressDocument = new TypedDocumentString(`
    mutation SetShippingAddress($input: SetShippingAddressInput!) {
  setShippingAddress(input: $input) {
    ...CartResultFields
  }
}
    fragment CartFields on Cart {
  id
  status
  currency
  version
  versionKey
  email
  lines {
    id
    variant {
      id
      sku
      name
    }
    quantity
    unitPrice {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  voucherCodes
  shippingMethod {
    ...ShippingMethodFields
  }
  shippingAddress {
    name
    line1
    city
    postalCode
    country
  }
  totals {
    subtotal {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    shipping {
      ...MoneyFields
    }
    shippingDiscount {
      ...MoneyFields
    }
    tax {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  pricesValidatedAt
}
fragment CartResultFields on CartResult {
  __typename
  ... on Cart {
    ...CartFields
  }
  ... on UserError {
    ...UserErrorFields
  }
  ... on InsufficientStockError {
    errorCode
    message
    shortfalls {
      variantId
      requested
      available
    }
  }
}
fragment ShippingMethodFields on ShippingMethod {
  id
  name
  price {
    ...MoneyFields
  }
}
fragment MoneyFields on Money {
  amount
  currency
}
fragment UserErrorFields on UserError {
  errorCode
  message
  field
}`, {"hash":"sha256:acccb8f3c22b925b5ece94489b5e9f6ac19142d85ceb2e582cf698b8b82ca959"}) as unknown as TypedDocumentString<SetShippingAddressMutation, SetShippingAddressMutationVariables>;
export const SetShippingMethodDocument = new TypedDocumentString(`
    mutation SetShippingMethod($input: SetShippingMethodInput!) {
  setShippingMethod(input: $input) {
    ...CartResultFields
  }
}
    fragment CartFields on Cart {
  id
  status
  currency
  version
  versionKey
  email
  lines {
    id
    variant {
      id
      sku
      name
    }
    quantity
    unitPrice {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  voucherCodes
  shippingMethod {
    ...ShippingMethodFields
  }
  shippingAddress {
    name
    line1
    city
    postalCode
    country
  }
  totals {
    subtotal {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    shipping {
      ...MoneyFields
    }
    shippingDiscount {
      ...MoneyFields
    }
    tax {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  pricesValidatedAt
}
fragment CartResultFields on CartResult {
  __typename
  ... on Cart {
    ...CartFields
  }
  ... on UserError {
    ...UserErrorFields
  }
  ... on InsufficientStockError {
    errorCode
    message
    shortfalls {
      variantId
      requested
      available
    }
  }
}
fragment ShippingMethodFields on ShippingMethod {
  id
  name
  price {
    ...MoneyFields
  }
}
fragment MoneyFields on Money {
  amount
  currency
}
fragment UserErrorFields on UserError {
  errorCode
  message
  field
}`, {"hash":"sha256:757fa272c88afa59bed135608971af66098b4a34120c790cfbefdd5fbce6375b"}) as unknown as TypedDocumentString<SetShippingMethodMutation, SetShippingMethodMutationVariables>;
export const AttachCartDocument = new TypedDocumentString(`
    mutation AttachCart($input: AttachCartInput!) {
  attachCart(input: $input) {
    ...CartResultFields
  }
}
    fragment CartFields on Cart {
  id
  status
  currency
  version
  versionKey
  email
  lines {
    id
    variant {
      id
      sku
      name
    }
    quantity
    unitPrice {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  voucherCodes
  shippingMethod {
    ...ShippingMethodFields
  }
  shippingAddress {
    name
    line1
    city
    postalCode
    country
  }
  totals {
    subtotal {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    shipping {
      ...MoneyFields
    }
    shippingDiscount {
      ...MoneyFields
    }
    tax {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  pricesValidatedAt
}
fragment CartResultFields on CartResult {
  __typename
  ... on Cart {
    ...CartFields
  }
  ... on UserError {
    ...UserErrorFields
  }
  ... on InsufficientStockError {
    errorCode
    message
    shortfalls {
      variantId
      requested
      available
    }
  }
}
fragment ShippingMethodFields on ShippingMethod {
  id
  name
  price {
    ...MoneyFields
  }
}
fragment MoneyFields on Money {
  amount
  currency
}
fragment UserErrorFields on UserError {
  errorCode
  message
  field
}`, {"hash":"sha256:96eddbdd67d989d341a2445d7881bfdbe7c764a8205c463475cf889646b15048"}) as unknown as TypedDocumentString<AttachCartMutation, AttachCartMutationVariables>;
export const ProductsDocument = new TypedDocumentString(`
    query Products($first: Int = 20, $after: String) {
  products(first: $first, after: $after) {
    nodes {
      ...ProductFields
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment VariantFields on Variant {
  id
  sku
  name
  price {
    ...MoneyFields
  }
  available
}
fragment ProductFields on Product {
  id
  name
  seller {
    id
    name
  }
  variants {
    ...VariantFields
  }
}
fragment MoneyFields on Money {
  amount
  currency
}`, {"hash":"sha256:f4214bfed06d21a531aaf05402810c24170dfcfa2ae59b006ed945beb422b09f"}) as unknown as TypedDocumentString<ProductsQuery, ProductsQueryVariables>;
export const ProductDocument = new TypedDocumentString(`
    query Product($id: ID!) {
  product(id: $id) {
    ...ProductFields
  }
}
    fragment VariantFields on Variant {
  id
  sku
  name
  price {
    ...MoneyFields
  }
  available
}
fragment ProductFields on Product {
  id
  name
  seller {
    id
    name
  }
  variants {
    ...VariantFields
  }
}
fragment MoneyFields on Money {
  amount
  currency
}`, {"hash":"sha256:b9fc2549130832cee3a6869b1f2f3c70a40c529cb4835b8be8c60d475f107567"}) as unknown as TypedDocumentString<ProductQuery, ProductQueryVariables>;
export const VariantDocument = new TypedDocumentString(`
    query Variant($id: ID!) {
  variant(id: $id) {
    ...VariantFields
    product {
      id
      name
    }
  }
}
    fragment VariantFields on Variant {
  id
  sku
  name
  price {
    ...MoneyFields
  }
  available
}
fragment MoneyFields on Money {
  amount
  currency
}`, {"hash":"sha256:290694fcf6deea296b9941df9fee3d30a659f8560febdcccbc3ffc92b3146a8f"}) as unknown as TypedDocumentString<VariantQuery, VariantQueryVariables>;
export const ShippingMethodsDocument = new TypedDocumentString(`
    query ShippingMethods($currency: String!) {
  shippingMethods(currency: $currency) {
    ...ShippingMethodFields
  }
}
    fragment ShippingMethodFields on ShippingMethod {
  id
  name
  price {
    ...MoneyFields
  }
}
fragment MoneyFields on Money {
  amount
  currency
}`, {"hash":"sha256:21190eb813a34f92e2f212c0daadd7a3c7e78abb5b78a81f2bf04747457856b4"}) as unknown as TypedDocumentString<ShippingMethodsQuery, ShippingMethodsQueryVariables>;
export const StartCheckoutDocument = new TypedDocumentString(`
    mutation StartCheckout($input: StartCheckoutInput!) {
  startCheckout(input: $input) {
    __typename
    ... on CheckoutPreview {
      versionKey
      reservationsExpireAt
      warnings
      cart {
        ...CartFields
      }
    }
    ... on UserError {
      ...UserErrorFields
    }
    ... on InsufficientStockError {
      ...InsufficientStockErrorFields
    }
    ... on PriceChangedError {
      ...PriceChangedErrorFields
    }
  }
}
    fragment CartFields on Cart {
  id
  status
  currency
  version
  versionKey
  email
  lines {
    id
    variant {
      id
      sku
      name
    }
    quantity
    unitPrice {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  voucherCodes
  shippingMethod {
    ...ShippingMethodFields
  }
  shippingAddress {
    name
    line1
    city
    postalCode
    country
  }
  totals {
    subtotal {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    shipping {
      ...MoneyFields
    }
    shippingDiscount {
      ...MoneyFields
    }
    tax {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  pricesValidatedAt
}
fragment ShippingMethodFields on ShippingMethod {
  id
  name
  price {
    ...MoneyFields
  }
}
fragment PriceChangedErrorFields on PriceChangedError {
  errorCode
  message
  changes {
    variantId
    previous {
      ...MoneyFields
    }
    current {
      ...MoneyFields
    }
  }
  versionKey
}
fragment InsufficientStockErrorFields on InsufficientStockError {
  errorCode
  message
  shortfalls {
    variantId
    requested
    available
  }
}
fragment MoneyFields on Money {
  amount
  currency
}
fragment UserErrorFields on UserError {
  errorCode
  message
  field
}`, {"hash":"sha256:7e48eb3428790b7e753cdfaf963b10da43d6a87efb7982cc9008e5d7baa4cb32"}) as unknown as TypedDocumentString<StartCheckoutMutation, StartCheckoutMutationVariables>;
export const ConfirmCheckoutDocument = new TypedDocumentString(`
    mutation ConfirmCheckout($input: ConfirmCheckoutInput!) {
  confirmCheckout(input: $input) {
    __typename
    ... on CheckoutConfirmation {
      order {
        ...OrderFields
      }
      payment {
        ...PaymentFields
      }
      replayed
      orderToken
    }
    ... on UserError {
      ...UserErrorFields
    }
    ... on InsufficientStockError {
      ...InsufficientStockErrorFields
    }
    ... on PriceChangedError {
      ...PriceChangedErrorFields
    }
  }
}
    fragment PriceChangedErrorFields on PriceChangedError {
  errorCode
  message
  changes {
    variantId
    previous {
      ...MoneyFields
    }
    current {
      ...MoneyFields
    }
  }
  versionKey
}
fragment InsufficientStockErrorFields on InsufficientStockError {
  errorCode
  message
  shortfalls {
    variantId
    requested
    available
  }
}
fragment MoneyFields on Money {
  amount
  currency
}
fragment UserErrorFields on UserError {
  errorCode
  message
  field
}
fragment PaymentFields on Payment {
  id
  kind
  status
  amount {
    ...MoneyFields
  }
  checkoutUrl
  clientSecret
}
fragment OrderFields on Order {
  id
  number
  status
  email
  voucherCodes
  shippingMethodName
  shippingAddress {
    name
    line1
    city
    postalCode
    country
  }
  totals {
    subtotal {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    shipping {
      ...MoneyFields
    }
    shippingDiscount {
      ...MoneyFields
    }
    tax {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
    creditApplied {
      ...MoneyFields
    }
    amountDue {
      ...MoneyFields
    }
    refunded {
      ...MoneyFields
    }
  }
  createdAt
  placedAt
  lines {
    id
    sku
    name
    quantity
    unitPrice {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  payments {
    ...PaymentFields
  }
}`, {"hash":"sha256:e1f44056bef2144e8d893680934cb7416d2f4b3bc2a488e31a2e40c25157428a"}) as unknown as TypedDocumentString<ConfirmCheckoutMutation, ConfirmCheckoutMutationVariables>;
export const OrderByTokenDocument = new TypedDocumentString(`
    query OrderByToken($token: String!) {
  orderByToken(token: $token) {
    ...OrderFields
  }
}
    fragment MoneyFields on Money {
  amount
  currency
}
fragment PaymentFields on Payment {
  id
  kind
  status
  amount {
    ...MoneyFields
  }
  checkoutUrl
  clientSecret
}
fragment OrderFields on Order {
  id
  number
  status
  email
  voucherCodes
  shippingMethodName
  shippingAddress {
    name
    line1
    city
    postalCode
    country
  }
  totals {
    subtotal {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    shipping {
      ...MoneyFields
    }
    shippingDiscount {
      ...MoneyFields
    }
    tax {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
    creditApplied {
      ...MoneyFields
    }
    amountDue {
      ...MoneyFields
    }
    refunded {
      ...MoneyFields
    }
  }
  createdAt
  placedAt
  lines {
    id
    sku
    name
    quantity
    unitPrice {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  payments {
    ...PaymentFields
  }
}`, {"hash":"sha256:f3b43ec71a7498c1448feda948b69c6f823239a19eb7e6beb39b349db2591973"}) as unknown as TypedDocumentString<OrderByTokenQuery, OrderByTokenQueryVariables>;
export const MyOrdersDocument = new TypedDocumentString(`
    query MyOrders($after: String) {
  me {
    id
    orders(first: 50, after: $after) {
      nodes {
        ...OrderFields
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    fragment MoneyFields on Money {
  amount
  currency
}
fragment PaymentFields on Payment {
  id
  kind
  status
  amount {
    ...MoneyFields
  }
  checkoutUrl
  clientSecret
}
fragment OrderFields on Order {
  id
  number
  status
  email
  voucherCodes
  shippingMethodName
  shippingAddress {
    name
    line1
    city
    postalCode
    country
  }
  totals {
    subtotal {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    shipping {
      ...MoneyFields
    }
    shippingDiscount {
      ...MoneyFields
    }
    tax {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
    creditApplied {
      ...MoneyFields
    }
    amountDue {
      ...MoneyFields
    }
    refunded {
      ...MoneyFields
    }
  }
  createdAt
  placedAt
  lines {
    id
    sku
    name
    quantity
    unitPrice {
      ...MoneyFields
    }
    discount {
      ...MoneyFields
    }
    total {
      ...MoneyFields
    }
  }
  payments {
    ...PaymentFields
  }
}`, {"hash":"sha256:b28374b812e3c228548b074d1f9e15546f4964edf5713810f4eade2db3b7fb2a"}) as unknown as TypedDocumentString<MyOrdersQuery, MyOrdersQueryVariables>;
export const VerifyLicenseDocument = new TypedDocumentString(`
    query VerifyLicense($key: String!) {
  verifyLicense(key: $key) {
    valid
    status
    productName
    variantSku
    revokedAt
  }
}
    `, {"hash":"sha256:3aa562306308d2d2adf6bed2ccf46a5720485cf3f620a5808ad384e40704f20b"}) as unknown as TypedDocumentString<VerifyLicenseQuery, VerifyLicenseQueryVariables>;