import type { EntityManager } from '../../db/orm';
import { LIVE_SUBSCRIPTION_STATUSES, Subscription, SubscriptionStatus } from '../../entities';
import type { AppDeps } from '../app-deps';
import { recordEvent } from '../outbox/outbox';
import { ErrorCode } from '../shared/error-code';
import { isId } from '../shared/ids';
import { abortWith, userFailure, type Outcome } from '../shared/outcome';
import { transactionalOutcome } from '../shared/transactions';
import { endAccessNow } from './end-access';

/** Who asks: the owner or an admin may act on a subscription; anyone else is told it does not exist. */
export interface SubscriptionActor {
  customerId: string | null;
  isAdmin: boolean;
}

const notFound = () => userFailure(ErrorCode.NOT_FOUND, 'No subscription with this id.', 'subscriptionId');

/**
 * cancelSubscription and resumeSubscription. Cancelling at the period's end
 * only sets the flag (access lasts; the renewal worker ends it when the paid
 * period ends, with no new order); cancelling now ends access at once.
 * Neither refunds anything. Each is one short transaction whose status moves
 * are guarded, so a race with a renewal loses cleanly (INVALID_STATE_TRANSITION).
 */
export class SubscriptionCommands {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: Pick<AppDeps, 'clock'>,
  ) {}

  cancel(subscriptionId: string, atPeriodEnd: boolean, actor: SubscriptionActor): Promise<Outcome<Subscription>> {
    return this.change(subscriptionId, actor, async (tx, subscription, now) => {
      if (!atPeriodEnd) {
        if (!(await endAccessNow(tx, subscription.id, 'canceled by request', now))) abortWith(notLive());
        return;
      }
      const flagged = await setCancelAtPeriodEnd(tx, subscription.id, true);
      if (flagged !== 1) abortWith(notLive());
      if (!subscription.cancelAtPeriodEnd) {
        recordEvent(tx, {
          type: 'subscription.canceled',
          aggregateId: subscription.id,
          payload: {
            subscriptionId: subscription.id,
            reason: 'canceled by request',
            atPeriodEnd: true,
            currentPeriodEnd: subscription.currentPeriodEnd?.toISOString() ?? null,
          },
        });
      }
    });
  }

  resume(subscriptionId: string, actor: SubscriptionActor): Promise<Outcome<Subscription>> {
    return this.change(subscriptionId, actor, async (tx, subscription, now) => {
      if (subscription.currentPeriodEnd && subscription.currentPeriodEnd <= now) abortWith(notLive());
      const resumed = await setCancelAtPeriodEnd(tx, subscription.id, false);
      if (resumed !== 1) abortWith(notLive());
    });
  }

  private change(
    subscriptionId: string,
    actor: SubscriptionActor,
    apply: (tx: EntityManager, subscription: Subscription, now: Date) => Promise<void>,
  ): Promise<Outcome<Subscription>> {
    if (!isId(subscriptionId)) return Promise.resolve({ ok: false, failure: notFound() });
    return transactionalOutcome(this.em, async (tx) => {
      const subscription = await tx.findOne(Subscription, { id: subscriptionId });
      if (!subscription || (!actor.isAdmin && subscription.customerId !== actor.customerId)) return abortWith(notFound());
      await apply(tx, subscription, this.deps.clock.now());
      return tx.findOneOrFail(Subscription, { id: subscriptionId }, { refresh: true });
    });
  }
}

const notLive = () =>
  userFailure(
    ErrorCode.INVALID_STATE_TRANSITION,
    `Only a live subscription (${SubscriptionStatus.ACTIVE} or ${SubscriptionStatus.PAST_DUE}) can be changed.`,
    'subscriptionId',
  );

/** The flag is no status change: guarded on the subscription being live, so an ended one is never flagged. */
const setCancelAtPeriodEnd = (tx: EntityManager, id: string, cancelAtPeriodEnd: boolean): Promise<number> =>
  tx.nativeUpdate(Subscription, { id, status: { $in: [...LIVE_SUBSCRIPTION_STATUSES] } }, { cancelAtPeriodEnd });
