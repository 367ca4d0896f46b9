/** The bench writes its subscriptions the same way (tools/bench/renewals.ts), so the writer lives beside it in tools/. */
export { buildActiveSubscription, type BuiltSubscription, type SubscriptionSpec } from '../../tools/subscription-fixture';
