import { createUnionType } from 'type-graphql';
import { UserError } from '../types/common.type';
import { SubscriptionType } from '../types/subscription.type';

export const SubscriptionResult = createUnionType({
  name: 'SubscriptionResult',
  types: () => [SubscriptionType, UserError] as const,
});
