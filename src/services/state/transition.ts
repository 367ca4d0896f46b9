import type { EntityClass, EntityData, FilterQuery } from '@mikro-orm/core';
import { Database } from '../../db/database';
import type { EntityManager } from '../../db/orm';
import {
  Cart,
  IdempotencyRecord,
  License,
  Order,
  OutboxEvent,
  Payment,
  PaymentLink,
  Refund,
  Reservation,
  SagaExecution,
  SellerTransfer,
  Subscription,
  SubscriptionPeriod,
  VoucherRedemption,
} from '../../entities';
import {
  cartTransitions,
  idempotencyTransitions,
  licenseTransitions,
  orderTransitions,
  outboxEventTransitions,
  paymentLinkTransitions,
  paymentTransitions,
  redemptionTransitions,
  refundTransitions,
  reservationTransitions,
  sagaTransitions,
  subscriptionPeriodTransitions,
  subscriptionTransitions,
  transferTransitions,
  type TransitionTable,
} from './transition-tables';

/** Entities with a lifecycle, and the status type each one carries. */
type StatusOf<T> = T extends { status: infer S extends string } ? S : never;
type Lifecycle =
  | Cart
  | IdempotencyRecord
  | License
  | Order
  | OutboxEvent
  | Payment
  | PaymentLink
  | Refund
  | Reservation
  | SagaExecution
  | SellerTransfer
  | Subscription
  | SubscriptionPeriod
  | VoucherRedemption;

const TABLES = new Map<EntityClass<Lifecycle>, TransitionTable<string>>([
  [Order, orderTransitions],
  [VoucherRedemption, redemptionTransitions],
  [Reservation, reservationTransitions],
  [Cart, cartTransitions],
  [Payment, paymentTransitions],
  [Refund, refundTransitions],
  [SellerTransfer, transferTransitions],
  [SagaExecution, sagaTransitions],
  [IdempotencyRecord, idempotencyTransitions],
  [PaymentLink, paymentLinkTransitions],
  [OutboxEvent, outboxEventTransitions],
  [License, licenseTransitions],
  [Subscription, subscriptionTransitions],
  [SubscriptionPeriod, subscriptionPeriodTransitions],
]);

/** A move the transition table does not allow: a bug in the caller, never a business outcome. */
export class UndeclaredTransitionError extends Error {
  override name = 'UndeclaredTransitionError';
}

/** Rows to move: one id, several ids, or a filter (always narrowed by `status = from`). */
export type TransitionTarget<T> = string | readonly string[] | FilterQuery<T>;

export function isAllowedTransition<T extends Lifecycle>(entity: EntityClass<T>, from: StatusOf<T>, to: StatusOf<T>): boolean {
  const table = TABLES.get(entity as EntityClass<Lifecycle>);
  return table?.[from]?.includes(to) ?? false;
}

/**
 * THE way a status changes (invariant 7): one guarded statement,
 * `update … set status = <to>, … where <target> and status in (<from>)`.
 * Returns how many rows moved; 0 means another actor got there first (a lost
 * race) and nothing was written. Runs in the caller's transaction.
 */
export async function transition<T extends Lifecycle>(
  em: EntityManager,
  entity: EntityClass<T>,
  target: TransitionTarget<T>,
  from: StatusOf<T> | readonly StatusOf<T>[],
  to: StatusOf<T>,
  extraFields: EntityData<T> = {},
): Promise<number> {
  const sources = declaredSources(entity, from, to);
  const where = toFilter<T>(target);
  if (where === null) return 0;
  const guarded = { ...where, status: sources.length === 1 ? sources[0] : { $in: sources } } as FilterQuery<T>;
  return Database.updateRows(em, entity, guarded, { ...extraFields, status: to } as EntityData<T>);
}

/**
 * transition()'s move of these rows as SQL (`?` placeholders), for a caller
 * that sends it as a part of one larger PostgreSQL statement (a data-modifying
 * CTE) to save a round trip: the same declared-move check, the same
 * `status = <from>` guard. The caller counts the rows it moved.
 */
export function transitionSql<T extends Lifecycle>(
  em: EntityManager,
  entity: EntityClass<T>,
  target: TransitionTarget<T>,
  from: StatusOf<T>,
  to: StatusOf<T>,
  extraFields: EntityData<T> = {},
): { sql: string; bindings: unknown[] } {
  declaredSources(entity, from, to);
  // No rows named: a guard that matches none, so the statement it is part of still runs whole.
  const guarded = { ...(toFilter<T>(target) ?? { id: { $in: [] } }), status: from } as FilterQuery<T>;
  return Database.updateSql(em, entity, guarded, { ...extraFields, status: to } as EntityData<T>);
}

function declaredSources<T extends Lifecycle>(entity: EntityClass<T>, from: StatusOf<T> | readonly StatusOf<T>[], to: StatusOf<T>): StatusOf<T>[] {
  const sources = (Array.isArray(from) ? from : [from]) as StatusOf<T>[];
  for (const source of sources) {
    if (!isAllowedTransition(entity, source, to)) {
      throw new UndeclaredTransitionError(`${entity.name}: ${source} -> ${to} is not a declared transition`);
    }
  }
  return sources;
}

function toFilter<T>(target: TransitionTarget<T>): Record<string, unknown> | null {
  if (typeof target === 'string') return { id: target };
  if (Array.isArray(target)) return target.length === 0 ? null : { id: { $in: [...target] } };
  return target as Record<string, unknown>;
}
