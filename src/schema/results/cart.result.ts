import { createUnionType } from 'type-graphql';
import { CartType } from '../types/cart.type';
import { InsufficientStockError, UserError } from '../types/common.type';

export const CartResult = createUnionType({ name: 'CartResult', types: () => [CartType, UserError, InsufficientStockError] as const });
