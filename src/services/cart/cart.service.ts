import { holdsStock } from '../catalog/variant-kinds';
import { planCartFailure } from '../subscriptions/plan-cart-rules';
import type { Session } from '../../db/request-session';
import type { AddressValue } from '../../entities';
import { CartStatus } from '../../entities';
import { newId } from '../../entities/columns';
import type { AppDeps } from '../app-deps';
import { normalizeEmail } from '../auth/auth.service';
import { ErrorCode } from '../shared/error-code';
import { isId } from '../shared/ids';
import { abortWith, insufficientStock, userFailure, type Outcome } from '../shared/outcome';
import { cartNotFound, findVisibleSnapshot, type CartActor } from './cart-access';
import { changeOpenCart, type CartChangeScope } from './cart-change';
import type { CartLineSnapshot, CartReads, CartSnapshot } from './cart-snapshot';
import { stockShortfall, type StockFigures } from './cart-stock';
import { overReservationCap } from './line-caps';
import { validateAddress } from './shipping-address';

/** Most units of one variant a single cart line may hold. */
export const MAX_LINE_QUANTITY = 999;
/** Most distinct variants on one cart: keeps every cart answer and checkout bounded. */
export const MAX_CART_LINES = 100;

export interface CreateCartCommand {
  currency: string;
  email?: string | null;
}
export interface AddCartLineCommand {
  cartId: string;
  variantId: string;
  quantity: number;
}
export interface UpdateCartLineCommand {
  cartId: string;
  lineId: string;
  quantity: number;
}
export interface SetShippingMethodCommand {
  cartId: string;
  shippingMethodId: string;
}
export interface SetShippingAddressCommand {
  cartId: string;
  address: AddressValue;
}

/** A cart just created: everything a snapshot holds but the owner's email, which nothing answering it needs. */
export type NewCart = Omit<CartSnapshot, 'customerEmail'>;

/**
 * Cart contents: lines, shipping method and address. Every change runs through
 * `changeOpenCart` (one read, the claim and the writes that changed; on
 * PostgreSQL one guarded statement, no transaction) and answers the cart from memory. Stock and price checks here are
 * what the buyer sees; checkout repeats the binding ones.
 */
export class CartService {
  constructor(
    private readonly session: Session,
    private readonly deps: Pick<AppDeps, 'config' | 'clock' | 'db' | 'stores'>,
  ) {}

  private reads(): CartReads {
    return { carts: this.deps.stores.carts, uow: this.deps.db.unitOfWork(this.session) };
  }

  private scope(actor: CartActor): CartChangeScope {
    return { session: this.session, actor, deps: this.deps };
  }

  /** One insert. A signed-in caller owns the new cart; a guest cart is reachable by its id alone. */
  async createCart(command: CreateCartCommand, actor: CartActor): Promise<NewCart> {
    const now = this.deps.clock.now();
    const cart: NewCart = {
      id: newId(),
      status: CartStatus.OPEN,
      version: 1,
      currency: command.currency.trim().toUpperCase(),
      email: command.email ? normalizeEmail(command.email) : null,
      customerId: actor.customerId,
      shippingMethod: null,
      shippingAddress: null,
      voucherCodes: [],
      pricesValidatedAt: null,
      nextLinePosition: 0,
      createdAt: now,
      updatedAt: now,
      lines: [],
      pricingInputs: { country: null, voucherCodes: [], taxRateBps: 0, vouchers: [] },
    };
    const { carts, uow } = this.reads();
    await carts.create(uow, cart);
    return cart;
  }

  findCart(cartId: string, actor: CartActor): Promise<CartSnapshot | null> {
    return findVisibleSnapshot(this.reads(), cartId, actor);
  }

  async addLine(command: AddCartLineCommand, actor: CartActor): Promise<Outcome<CartSnapshot>> {
    const cap = this.deps.config.maxReservedUnitsPerLine;
    const invalid = idFailure(command, ['cartId', 'variantId']) ?? quantityFailure(command.quantity, 1, cap);
    if (invalid) return { ok: false, failure: invalid };
    const now = this.deps.clock.now();
    const lookups = { variant: command.variantId, stock: { variantId: command.variantId, at: now } };
    // A new line takes the position the claim reserves; a merge leaves that number unused: positions only order lines.
    return changeOpenCart(this.scope(actor), command.cartId, { now, reservesPosition: true, lookups, optimistic: true }, async ({ snapshot, found, write }) => {
      const { variant } = found;
      if (!variant) return abortWith(userFailure(ErrorCode.NOT_FOUND, 'No such variant.', 'variantId'));
      if (variant.variantCurrency !== snapshot.currency) {
        return abortWith(
          userFailure(ErrorCode.CURRENCY_MISMATCH, `This variant is priced in ${variant.variantCurrency}, the cart in ${snapshot.currency}.`, 'variantId'),
        );
      }
      const line = snapshot.lines.find((candidate) => candidate.variantId === variant.variantId);
      const quantity = (line?.quantity ?? 0) + command.quantity;
      const merged = quantityFailure(quantity, 1, cap);
      if (merged) return abortWith(merged);
      const planRefused = planCartFailure([...snapshot.lines.filter((other) => other !== line), { kind: variant.kind, quantity }], snapshot.customerId);
      if (planRefused) return abortWith(planRefused);
      // A DIGITAL variant or a plan has no stock: a license cap is enforced when the order is confirmed.
      if (holdsStock(variant.kind)) requireStock(found.stock, variant.variantId, quantity);
      // Touching a line shows the buyer the current price.
      if (line) {
        const updated = { ...line, ...variant, quantity, unitPrice: variant.catalogPrice };
        await write.line({ kind: 'update', line: updated });
        return withLines(
          snapshot,
          snapshot.lines.map((candidate) => (candidate.id === line.id ? updated : candidate)),
        );
      }
      if (snapshot.lines.length >= MAX_CART_LINES) {
        return abortWith(userFailure(ErrorCode.VALIDATION_FAILED, `A cart holds at most ${MAX_CART_LINES} different items.`, 'variantId'));
      }
      const added: CartLineSnapshot = { ...variant, id: newId(), quantity, unitPrice: variant.catalogPrice, position: snapshot.nextLinePosition - 1 };
      await write.line({ kind: 'insert', cartId: snapshot.id, line: added });
      return withLines(snapshot, [...snapshot.lines, added]);
    });
  }

  /** Quantity 0 removes the line. Lowering a quantity never needs stock. */
  async updateLine(command: UpdateCartLineCommand, actor: CartActor): Promise<Outcome<CartSnapshot>> {
    const invalid = idFailure(command, ['cartId', 'lineId']) ?? quantityFailure(command.quantity, 0, this.deps.config.maxReservedUnitsPerLine);
    if (invalid) return { ok: false, failure: invalid };
    const now = this.deps.clock.now();
    // The stock of the line's variant is read along, in case the change raises it.
    const lookups = command.quantity > 0 ? { stock: { lineId: command.lineId, at: now } } : {};
    return changeOpenCart(this.scope(actor), command.cartId, { now, lookups, optimistic: true }, async ({ snapshot, found, write }) => {
      const line = snapshot.lines.find((candidate) => candidate.id === command.lineId);
      if (!line) return abortWith(userFailure(ErrorCode.NOT_FOUND, 'This cart has no such line.', 'lineId'));
      if (command.quantity === 0) {
        await write.line({ kind: 'delete', lineId: line.id });
        return withLines(
          snapshot,
          snapshot.lines.filter((candidate) => candidate.id !== line.id),
        );
      }
      const planRefused = planCartFailure(
        snapshot.lines.map((other) => (other === line ? { kind: line.kind, quantity: command.quantity } : other)),
        snapshot.customerId,
      );
      if (planRefused) return abortWith(planRefused);
      if (command.quantity > line.quantity && holdsStock(line.kind)) requireStock(found.stock, line.variantId, command.quantity);
      // Touching a line shows the buyer the current price, as adding it did.
      const updated = { ...line, quantity: command.quantity, unitPrice: line.catalogPrice };
      await write.line({ kind: 'update', line: updated });
      return withLines(
        snapshot,
        snapshot.lines.map((candidate) => (candidate.id === line.id ? updated : candidate)),
      );
    });
  }

  async setShippingMethod(command: SetShippingMethodCommand, actor: CartActor): Promise<Outcome<CartSnapshot>> {
    const invalid = idFailure(command, ['cartId', 'shippingMethodId']);
    if (invalid) return { ok: false, failure: invalid };
    const lookups = { shippingMethod: command.shippingMethodId };
    return changeOpenCart(this.scope(actor), command.cartId, { now: this.deps.clock.now(), lookups, optimistic: true }, async ({ snapshot, found, write }) => {
      const method = found.shippingMethod;
      if (!method) return abortWith(userFailure(ErrorCode.NOT_FOUND, 'No such shipping method.', 'shippingMethodId'));
      if (method.currency !== snapshot.currency) {
        return abortWith(
          userFailure(
            ErrorCode.CURRENCY_MISMATCH,
            `This shipping method is priced in ${method.currency}, the cart in ${snapshot.currency}.`,
            'shippingMethodId',
          ),
        );
      }
      await write.fields({ shippingMethodId: method.id });
      return { ...snapshot, shippingMethod: method };
    });
  }

  /**
   * The address needs nothing from the cart, so it rides on the claim; the read
   * brings the new country's tax rate along, so the answer is priced for it.
   */
  async setShippingAddress(command: SetShippingAddressCommand, actor: CartActor): Promise<Outcome<CartSnapshot>> {
    if (!isId(command.cartId)) return { ok: false, failure: cartNotFound() };
    const checked = validateAddress(command.address);
    if ('failure' in checked) return { ok: false, failure: checked.failure };
    const { address } = checked;
    const plan = { now: this.deps.clock.now(), presets: { shippingAddress: address }, lookups: { taxRateOf: address.country }, optimistic: true };
    return changeOpenCart(this.scope(actor), command.cartId, plan, async ({ snapshot, found }) => ({
      ...snapshot,
      shippingAddress: address,
      pricingInputs: { ...snapshot.pricingInputs, country: address.country, taxRateBps: found.taxRateBps ?? 0 },
    }));
  }
}

function withLines(snapshot: CartSnapshot, lines: CartLineSnapshot[]): CartSnapshot {
  return { ...snapshot, lines };
}

/** Refuses `requested` units that the stock read with the cart cannot cover. */
function requireStock(stock: StockFigures | null, variantId: string, requested: number): void {
  if (!stock) throw new Error('the change did not look up the stock it checks');
  const shortfall = stockShortfall(stock, variantId, requested);
  if (shortfall) abortWith(insufficientStock([shortfall]));
}

/** Ids are checked for shape before any read: a malformed id cannot exist. */
function idFailure<K extends string>(command: Record<K, string>, fields: K[]) {
  const malformed = fields.find((field) => !isId(command[field]));
  if (!malformed) return null;
  return malformed === 'cartId' ? cartNotFound() : userFailure(ErrorCode.NOT_FOUND, `No such ${fieldLabel(malformed)}.`, malformed);
}

const fieldLabel = (field: string): string =>
  field
    .replace(/Id$/, '')
    .replace(/([A-Z])/g, ' $1')
    .toLowerCase();

/** The input bounds first, then the reservation cap (a quantity the cart could never reserve is refused on entry). */
function quantityFailure(quantity: number, min: 0 | 1, cap: number) {
  if (!Number.isInteger(quantity) || quantity < min || quantity > MAX_LINE_QUANTITY) {
    return userFailure(ErrorCode.VALIDATION_FAILED, `A line holds ${min} to ${MAX_LINE_QUANTITY} units.`, 'quantity');
  }
  return quantity > cap ? overReservationCap(cap) : null;
}
