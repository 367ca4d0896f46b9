import type { EntityManager } from '../../src/db/orm';
import { type AddressValue, Cart, CartLine, CartStatus, Customer, Reservation, ReservationStatus, type ShippingMethod, type Variant } from '../../src/entities';
import type { GraphQLResponse, TestApp } from '../support/test-app';

/**
 * Cart test helpers: `cartApi` drives the public GraphQL mutations (what a
 * buyer does), `buildCart` writes a cart straight through an EntityManager for
 * tests of other areas (checkout, orders) that need one in a given state.
 */

export const CART_FIELDS = `
  id status currency version versionKey email voucherCodes pricesValidatedAt
  shippingMethod { id name price { amount currency } }
  shippingAddress { name line1 city postalCode country }
  lines { id quantity variant { id sku } unitPrice { amount currency } discount { amount currency } total { amount currency } }
  totals {
    subtotal { amount currency } discount { amount currency } shipping { amount currency }
    shippingDiscount { amount currency } tax { amount currency } total { amount currency }
  }`;

const RESULT_FIELDS = `
  __typename
  ... on Cart { ${CART_FIELDS} }
  ... on UserError { errorCode message field }
  ... on InsufficientStockError { errorCode message shortfalls { variantId requested available } }`;

const mutation = (name: string, inputType: string) => `mutation($input: ${inputType}!) { ${name}(input: $input) { ${RESULT_FIELDS} } }`;

export const CART_DOCUMENTS = {
  createCart: `mutation($input: CreateCartInput!) { createCart(input: $input) { ${CART_FIELDS} } }`,
  cart: `query($id: ID!) { cart(id: $id) { ${CART_FIELDS} } }`,
  addCartLine: mutation('addCartLine', 'AddCartLineInput'),
  updateCartLine: mutation('updateCartLine', 'UpdateCartLineInput'),
  setShippingMethod: mutation('setShippingMethod', 'SetShippingMethodInput'),
  setShippingAddress: mutation('setShippingAddress', 'SetShippingAddressInput'),
  applyVoucher: mutation('applyVoucher', 'CartVoucherInput'),
  removeVoucher: mutation('removeVoucher', 'CartVoucherInput'),
} as const;

type CartMutation = Exclude<keyof typeof CART_DOCUMENTS, 'createCart' | 'cart'>;

/** The cart (or error member) a call answered; throws on a top-level GraphQL error so tests see it plainly. */
function fieldOf(response: GraphQLResponse, field: string) {
  if (response.errors?.length) throw new Error(`${field} answered a GraphQL error: ${JSON.stringify(response.errors)}`);
  return response.data[field];
}

export function cartApi(app: TestApp, token?: string) {
  const send = (name: CartMutation, input: Record<string, unknown>) => app.gql(CART_DOCUMENTS[name], { input }, { token });
  const call = async (name: CartMutation, input: Record<string, unknown>) => fieldOf(await send(name, input), name);
  return {
    /** The raw response, for tests about top-level errors. */
    send,
    async create(input: { currency?: string; email?: string | null } = {}) {
      return fieldOf(await app.gql(CART_DOCUMENTS.createCart, { input: { currency: 'EUR', ...input } }, { token }), 'createCart');
    },
    async get(id: string) {
      return fieldOf(await app.gql(CART_DOCUMENTS.cart, { id }, { token }), 'cart');
    },
    addLine: (cartId: string, variantId: string, quantity: number) => call('addCartLine', { cartId, variantId, quantity }),
    updateLine: (cartId: string, lineId: string, quantity: number) => call('updateCartLine', { cartId, lineId, quantity }),
    setShippingMethod: (cartId: string, shippingMethodId: string) => call('setShippingMethod', { cartId, shippingMethodId }),
    setShippingAddress: (cartId: string, address: AddressValue) => call('setShippingAddress', { cartId, address }),
    applyVoucher: (cartId: string, code: string) => call('applyVoucher', { cartId, code }),
    removeVoucher: (cartId: string, code: string) => call('removeVoucher', { cartId, code }),
  };
}

export const anAddress = (overrides: Partial<AddressValue> = {}): AddressValue => ({
  name: 'Ada Lovelace',
  line1: '12 Analytical Row',
  city: 'Berlin',
  postalCode: '10115',
  country: 'DE',
  ...overrides,
});

export interface CartSpec {
  currency?: string;
  email?: string | null;
  customerId?: string | null;
  status?: CartStatus;
  /** unitPrice defaults to the variant's current price. */
  lines?: { variant: Variant; quantity: number; unitPrice?: number }[];
  shippingMethod?: ShippingMethod | null;
  shippingAddress?: AddressValue | null;
  voucherCodes?: string[];
}

export async function buildCart(em: EntityManager, spec: CartSpec = {}): Promise<Cart> {
  const cart = em.create(Cart, {
    currency: spec.currency ?? 'EUR',
    email: spec.email ?? null,
    customer: spec.customerId ? em.getReference(Customer, spec.customerId) : null,
    status: spec.status ?? CartStatus.OPEN,
    shippingMethod: spec.shippingMethod ?? null,
    shippingAddress: spec.shippingAddress ?? null,
    voucherCodes: spec.voucherCodes ?? [],
  });
  (spec.lines ?? []).forEach((line, position) => {
    cart.lines.add(
      em.create(CartLine, {
        cart,
        variant: line.variant,
        quantity: line.quantity,
        unitPrice: line.unitPrice ?? line.variant.price,
        position,
      }),
    );
  });
  cart.nextLinePosition = spec.lines?.length ?? 0;
  await em.flush();
  return cart;
}

/** An ACTIVE reservation as checkout would leave it; `expiresAt` in the past makes it a stale one. */
export async function buildReservation(
  em: EntityManager,
  spec: { cartId: string; variant: Variant; quantity: number; expiresAt: Date; status?: ReservationStatus },
): Promise<Reservation> {
  const reservation = em.create(Reservation, {
    cartId: spec.cartId,
    variant: spec.variant,
    quantity: spec.quantity,
    expiresAt: spec.expiresAt,
    status: spec.status ?? ReservationStatus.ACTIVE,
  });
  await em.flush();
  return reservation;
}
