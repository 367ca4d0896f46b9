import { MAX_VARIANTS_PER_PRODUCT } from '../schema/inputs/catalog.input';
import { MAX_CART_LINES } from '../services/cart/cart.service';
import { MAX_LISTED_LICENSES } from '../services/licenses/license-queries';
import { MAX_LISTED_SUBSCRIPTIONS, MAX_SUBSCRIPTION_PAGE } from '../services/subscriptions/subscription-queries';
import type { CostModel } from './query-cost';

/**
 * The gateway's work, as query-cost.ts counts it (rows loaded). Kept beside
 * the schema by a test (test/unit/http/cost-model.test.ts): every name here
 * must be a type or field of the schema, and every list of rows must either
 * be capped here or be one of the few known to be uncapped.
 */

/**
 * Values that arrive with their parent row or with the mutation's own answer:
 * Money and totals are columns of the order or cart, an address is columns,
 * price changes and shortfalls are computed from the cart already loaded,
 * connections and result wrappers only carry the rows inside them.
 */
const VALUE_TYPES = [
  'Money',
  'OrderTotals',
  'CartTotals',
  'Address',
  'PriceChange',
  'StockShortfall',
  'PageInfo',
  'OrderConnection',
  'ProductConnection',
  'SagaConnection',
  'OutboxEventConnection',
  'SubscriptionConnection',
  'LicenseVerification',
  'AuthPayload',
  'CheckoutPreview',
  'CheckoutConfirmation',
  'UserError',
  'InsufficientStockError',
  'PriceChangedError',
];

/**
 * Lists whose length the server bounds. An order is written from one cart, so
 * its lines, its sellers (a transfer each) and a checkout's complaints about
 * them are bounded by the cart's line cap; an order is paid by store credit
 * and at most one other method (order-rows.ts).
 */
const LIST_CAPS: Record<string, number> = {
  'Cart.lines': MAX_CART_LINES,
  'Order.lines': MAX_CART_LINES,
  'Order.sellerTransfers': MAX_CART_LINES,
  'Order.payments': 2,
  'Customer.licenses': MAX_LISTED_LICENSES,
  'Customer.subscriptions': MAX_LISTED_SUBSCRIPTIONS,
  // `first` is at most 100 (subscription.resolver.ts).
  'Subscription.periods': MAX_SUBSCRIPTION_PAGE,
  'Product.variants': MAX_VARIANTS_PER_PRODUCT,
  'InsufficientStockError.shortfalls': MAX_CART_LINES,
  'PriceChangedError.changes': MAX_CART_LINES,
  // An operator page: `first` is at most 100 (operations.input.ts).
  'Query.sellerTransfers': 100,
};

/**
 * Lists nothing bounds yet; they count as TILLGATE_COST_MODEL.defaultListSize.
 * Refunds are bounded only by the order's amount, shipping methods and a
 * payment link's orders, partners and their keys (revoked ones stay listed) by what admins create.
 */
export const UNCAPPED_LISTS: readonly string[] = [
  'Order.refunds',
  'Query.shippingMethods',
  'PaymentLink.orders',
  'Query.partners',
  'Partner.keys',
  'Order.licenses',
];

/**
 * Work that is not rows. A password check is one scrypt derivation (128 MiB
 * and about 0.3 s of CPU, passwords.ts: more than loading thousands of rows),
 * so one request holds at most five at the default budget; the credit balance
 * is an aggregate over the customer's ledger.
 */
export const PASSWORD_CHECK_WEIGHT = 2_000;

const FIELD_WEIGHTS: Record<string, number> = {
  'Mutation.logIn': PASSWORD_CHECK_WEIGHT,
  'Mutation.signUp': PASSWORD_CHECK_WEIGHT,
  'Customer.creditBalance': 1,
};

/**
 * To-one references whose foreign key is a column of the parent row: asked
 * for `{ id }` alone, the field resolver answers from that column and loads
 * nothing (order.resolver.ts, catalog.resolver.ts, license.resolver.ts).
 */
const IDS_ON_PARENT = [
  'OrderLine.variant',
  'License.variant',
  'Subscription.plan',
  'Subscription.customer',
  'SellerTransfer.seller',
  'Order.customer',
  'Variant.product',
  'Product.seller',
];

/**
 * To-one references read through a per-request DataLoader (schema/loaders):
 * the references of every parent on a page go out as one statement by primary
 * key, so its rows are at most the parents, which are counted already.
 */
const BATCHED_REFERENCES = [...IDS_ON_PARENT];

export const TILLGATE_COST_MODEL: CostModel = Object.freeze({
  valueTypes: new Set(VALUE_TYPES),
  listCaps: Object.freeze(LIST_CAPS),
  fieldWeights: Object.freeze(FIELD_WEIGHTS),
  // A page's variants answer their product from the product they were read under (catalog.type.ts);
  // a cart line's variant is built from the columns read with the line (cart.type.ts).
  rowsInHand: new Set(['Product.variants>Variant.product', 'Cart.lines>CartLine.variant']),
  idsOnParent: new Set(IDS_ON_PARENT),
  batchedReferences: new Set(BATCHED_REFERENCES),
  // Every other mutation runs a transaction of a few reads and writes.
  mutationWeight: 20,
  defaultListSize: 20,
  // The paginated resolvers refuse `first` above 100 (catalog and order queries).
  maxPageSize: 100,
});
