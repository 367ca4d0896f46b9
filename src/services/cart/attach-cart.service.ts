import type { Session } from '../../db/request-session';
import type { CartStore } from '../../db/stores/cart-store';
import type { Stores } from '../../db/stores';
import type { UnitOfWork } from '../../db/unit-of-work';
import { Cart, CartStatus } from '../../entities';
import { newId } from '../../entities/columns';
import type { AppDeps } from '../app-deps';
import { ErrorCode } from '../shared/error-code';
import { isId } from '../shared/ids';
import { abortWith, userFailure, type Outcome } from '../shared/outcome';
import { transition } from '../state/transition';
import { cartNotFound } from './cart-access';
import { changeOpenCart, UNCHANGED } from './cart-change';
import type { CartLineSnapshot, CartSnapshot } from './cart-snapshot';
import { MAX_CART_LINES, MAX_LINE_QUANTITY } from './cart.service';

/**
 * attachCart: at sign-in, a guest cart moves into the customer's
 * account. With an open cart of the same currency there, the guest's lines
 * join it (quantities add up, capped at the line limit) and the guest cart is
 * closed; with none, the customer simply takes the guest cart over. One short
 * transaction either way, nothing written on a refusal.
 *
 * Only lines move: the account cart keeps its own vouchers, shipping method and
 * address (a voucher is checked for the cart it is applied to, so it is not
 * carried over unchecked). Stock is not checked here: a cart promises nothing,
 * and startCheckout reports any shortfall as it does for every cart.
 */
export class AttachCartService {
  constructor(
    private readonly session: Session,
    private readonly deps: Pick<AppDeps, 'config' | 'clock' | 'db' | 'stores'>,
  ) {}

  /** Moves the cart into the account of `customerId`, the signed-in customer. */
  async attach(customerId: string, cartId: string): Promise<Outcome<CartSnapshot>> {
    if (!isId(cartId)) return { ok: false, failure: cartNotFound() };
    const {
      config,
      stores: { carts },
    } = this.deps;
    const now = this.deps.clock.now();
    // Never as an admin, even for one: what moves is a guest cart (or one's own); anyone else's is NOT_FOUND.
    const scope = { session: this.session, actor: { customerId, isAdmin: false }, deps: this.deps };
    // changeOpenCart claims the guest cart first (version bumped, row held), refuses another's or a closed one.
    return changeOpenCart(scope, cartId, { now }, async ({ uow, snapshot: guest }) => {
      // Already this customer's (a retried attach): nothing to move, the cart is answered as it stands.
      if (guest.customerId === customerId) return UNCHANGED;
      // The customer's own open cart, claimed the way every cart change claims; one checked out since is not merged into.
      const targetId = await carts.claimOpenCartOf(uow, customerId, guest.currency, now);
      if (!targetId) {
        await carts.update(uow, guest.id, { customerId });
        return cartAsWritten(carts, uow, guest.id);
      }
      const target = await cartAsWritten(carts, uow, targetId);
      await mergeLines(carts, uow, target, guest, Math.min(MAX_LINE_QUANTITY, config.maxReservedUnitsPerLine));
      await closeMergedCart(uow, this.deps.stores, guest.id);
      return cartAsWritten(carts, uow, target.id);
    });
  }
}

/**
 * The guest's lines into the target: a variant already there adds up, a new one
 * is appended after the target's lines. Every line written is stamped with the
 * current catalog price, as adding a line is. The cap is the line limit a cart
 * change accepts (MAX_LINE_QUANTITY, and MAX_RESERVED_UNITS_PER_LINE, above
 * which checkout could never reserve the line).
 */
async function mergeLines(carts: CartStore, uow: UnitOfWork, target: CartSnapshot, guest: CartSnapshot, cap: number): Promise<void> {
  const existing = new Map(target.lines.map((line) => [line.variantId, line]));
  const raised = guest.lines.flatMap((line) => {
    const mine = existing.get(line.variantId);
    return mine ? [{ id: mine.id, quantity: Math.min(cap, mine.quantity + line.quantity), unitPrice: line.catalogPrice }] : [];
  });
  const added: CartLineSnapshot[] = guest.lines
    .filter((line) => !existing.has(line.variantId))
    .map((line, index) => ({
      ...line,
      id: newId(),
      quantity: Math.min(cap, line.quantity),
      unitPrice: line.catalogPrice,
      position: target.nextLinePosition + index,
    }));
  if (target.lines.length + added.length > MAX_CART_LINES) {
    abortWith(userFailure(ErrorCode.VALIDATION_FAILED, `Together the carts hold more than ${MAX_CART_LINES} different items.`, 'cartId'));
  }
  for (const line of raised) await carts.writeLine(uow, { kind: 'update', line });
  for (const line of added) await carts.writeLine(uow, { kind: 'insert', cartId: target.id, line });
  if (added.length > 0) await carts.update(uow, target.id, { nextLinePosition: target.nextLinePosition + added.length });
}

/**
 * The merged guest cart is closed (CONVERTED: its lines now live in the
 * account cart), so its id answers CART_CLOSED from here on, and the units a
 * checkout preview held for it are given back at once rather than at expiry.
 */
async function closeMergedCart(uow: UnitOfWork, { stock }: Pick<Stores, 'stock'>, cartId: string): Promise<void> {
  // The cart was claimed and read OPEN under its lock: not moving it is a bug.
  if ((await transition(uow.em, Cart, cartId, CartStatus.OPEN, CartStatus.CONVERTED)) !== 1) throw new Error(`cart ${cartId} is no longer open`);
  await stock.releaseCart(uow, cartId);
}

async function cartAsWritten(carts: CartStore, uow: UnitOfWork, cartId: string): Promise<CartSnapshot> {
  const read = await carts.read(uow, cartId);
  if (!read) throw new Error(`cart ${cartId} vanished inside its own transaction`);
  return read.snapshot;
}
