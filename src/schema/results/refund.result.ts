import { createUnionType } from 'type-graphql';
import { UserError } from '../types/common.type';
import { RefundType } from '../types/order.type';

export const RefundOrderResult = createUnionType({
  name: 'RefundOrderResult',
  types: () => [RefundType, UserError] as const,
});
