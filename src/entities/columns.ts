import { randomUUID } from 'node:crypto';
import { BigIntType } from '@mikro-orm/core';

/**
 * Money columns: 64-bit integers read back as JS numbers. Every amount that
 * reaches them is a safe integer (the pricing engine and MAX_ORDER_AMOUNT
 * guarantee it), so no float and no precision loss.
 */
export const money = () => ({ type: new BigIntType('number') });

/** Random v4 UUIDs: unguessable, so a guest cart id is its own capability. */
export const newId = (): string => randomUUID();
