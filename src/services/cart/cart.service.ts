import type { EntityManager } from '../../db/orm';
import { type AddressValue, Cart, CartLine, Customer, ShippingMethod, Variant } from '../../entities';
import { normalizeEmail } from '../auth/auth.service';
import { ErrorCode } from '../shared/error-code';
import { isId } from '../shared/ids';
import { abortWith, insufficientStock, userFailure, type Outcome } from '../shared/outcome';
import { cartNotFound, findVisibleCart } from './cart-access';
import { changeOpenCart, type CartServiceDeps } from './cart-change';
import { stockShortfallForLine } from './cart-stock';
import { validateAddress } from './shipping-address';

/** Most units of one variant a single cart line may hold. */
export const MAX_LINE_QUANTITY = 999;
/** Most distinct variants on one cart: keeps every cart answer and checkout bounded. */
export const MAX_CART_LINES = 100;

export interface CreateCartCommand { currency: string; email?: string | null }
export interface AddCartLineCommand { cartId: string; variantId: string; quantity: number }
export interface UpdateCartLineCommand { cartId: string; lineId: string; quantity: number }
export interface SetShippingMethodCommand { cartId: string; shippingMethodId: string }
export interface SetShippingAddressCommand { cartId: string; address: AddressValue }

/**
 * Cart contents: lines, shipping method and address. Every change runs through
 * `changeOpenCart` (one transaction, cart row locked, version bumped). Stock and
 * price checks here are what the buyer sees; checkout repeats the binding ones.
 */
export class CartService {
  constructor(private readonly deps: CartServiceDeps) {}

  /** A signed-in caller owns the new cart; a guest cart is reachable by its id alone. */
  async createCart(command: CreateCartCommand): Promise<Cart> {
    const { em, actor } = this.deps;
    const cart = em.create(Cart, {
      currency: command.currency.trim().toUpperCase(),
      email: command.email ? normalizeEmail(command.email) : null,
      customer: actor.customerId ? em.getReference(Customer, actor.customerId) : null,
    });
    await em.flush();
    return cart;
  }

  findCart(cartId: string): Promise<Cart | null> {
    return findVisibleCart(this.deps.em, cartId, this.deps.actor);
  }

  async addLine(command: AddCartLineCommand): Promise<Outcome<Cart>> {
    const invalid = idFailure(command, ['cartId', 'variantId']) ?? quantityFailure(command.quantity, 1);
    if (invalid) return { ok: false, failure: invalid };
    return changeOpenCart(this.deps, command.cartId, async (tx, cart, now) => {
      const variant = await tx.findOne(Variant, { id: command.variantId });
      if (!variant) return abortWith(userFailure(ErrorCode.NOT_FOUND, 'No such variant.', 'variantId'));
      if (variant.currency !== cart.currency) {
        return abortWith(userFailure(ErrorCode.CURRENCY_MISMATCH, `This variant is priced in ${variant.currency}, the cart in ${cart.currency}.`, 'variantId'));
      }
      const line = cart.lines.getItems().find((candidate) => candidate.variant.id === variant.id);
      const quantity = (line?.quantity ?? 0) + command.quantity;
      const merged = quantityFailure(quantity, 1);
      if (merged) return abortWith(merged);
      await requireStock(tx, cart, variant.id, quantity, now);
      if (line) {
        line.quantity = quantity;
        line.unitPrice = variant.price;
        return;
      }
      if (cart.lines.length >= MAX_CART_LINES) {
        return abortWith(userFailure(ErrorCode.VALIDATION_FAILED, `A cart holds at most ${MAX_CART_LINES} different items.`, 'variantId'));
      }
      cart.lines.add(tx.create(CartLine, { cart, variant, quantity, unitPrice: variant.price, position: cart.nextLinePosition }));
      cart.nextLinePosition += 1;
    });
  }

  /** Quantity 0 removes the line. Lowering a quantity never needs stock. */
  async updateLine(command: UpdateCartLineCommand): Promise<Outcome<Cart>> {
    const invalid = idFailure(command, ['cartId', 'lineId']) ?? quantityFailure(command.quantity, 0);
    if (invalid) return { ok: false, failure: invalid };
    return changeOpenCart(this.deps, command.cartId, async (tx, cart, now) => {
      const line = cart.lines.getItems().find((candidate) => candidate.id === command.lineId);
      if (!line) return abortWith(userFailure(ErrorCode.NOT_FOUND, 'This cart has no such line.', 'lineId'));
      if (command.quantity === 0) {
        cart.lines.remove(line);
        return;
      }
      if (command.quantity > line.quantity) await requireStock(tx, cart, line.variant.id, command.quantity, now);
      line.quantity = command.quantity;
      // Touching a line shows the buyer the current price, as adding it did.
      line.unitPrice = line.variant.price;
    });
  }

  async setShippingMethod(command: SetShippingMethodCommand): Promise<Outcome<Cart>> {
    const invalid = idFailure(command, ['cartId', 'shippingMethodId']);
    if (invalid) return { ok: false, failure: invalid };
    return changeOpenCart(this.deps, command.cartId, async (tx, cart) => {
      const method = await tx.findOne(ShippingMethod, { id: command.shippingMethodId });
      if (!method) return abortWith(userFailure(ErrorCode.NOT_FOUND, 'No such shipping method.', 'shippingMethodId'));
      if (method.currency !== cart.currency) {
        return abortWith(userFailure(ErrorCode.CURRENCY_MISMATCH, `This shipping method is priced in ${method.currency}, the cart in ${cart.currency}.`, 'shippingMethodId'));
      }
      cart.shippingMethod = method;
    });
  }

  async setShippingAddress(command: SetShippingAddressCommand): Promise<Outcome<Cart>> {
    if (!isId(command.cartId)) return { ok: false, failure: cartNotFound() };
    const checked = validateAddress(command.address);
    if ('failure' in checked) return { ok: false, failure: checked.failure };
    return changeOpenCart(this.deps, command.cartId, async (_tx, cart) => {
      cart.shippingAddress = checked.address;
    });
  }
}

async function requireStock(tx: EntityManager, cart: Cart, variantId: string, quantity: number, now: Date): Promise<void> {
  const shortfall = await stockShortfallForLine(tx, cart.id, variantId, quantity, now);
  if (shortfall) abortWith(insufficientStock([shortfall]));
}

/** Ids are checked for shape before any SQL: a malformed id cannot exist. */
function idFailure<K extends string>(command: Record<K, string>, fields: K[]) {
  const malformed = fields.find((field) => !isId(command[field]));
  if (!malformed) return null;
  return malformed === 'cartId' ? cartNotFound() : userFailure(ErrorCode.NOT_FOUND, `No such ${fieldLabel(malformed)}.`, malformed);
}

const fieldLabel = (field: string): string => field.replace(/Id$/, '').replace(/([A-Z])/g, ' $1').toLowerCase();

function quantityFailure(quantity: number, min: 0 | 1) {
  if (Number.isInteger(quantity) && quantity >= min && quantity <= MAX_LINE_QUANTITY) return null;
  return userFailure(ErrorCode.VALIDATION_FAILED, `A line holds ${min} to ${MAX_LINE_QUANTITY} units.`, 'quantity');
}
