import { SafeIntResolver } from 'graphql-scalars';
import { Directive, Field, ID, Int, InterfaceType, ObjectType, registerEnumType } from 'type-graphql';
import { ErrorCode } from '../../services/shared/error-code';
import type { Failure } from '../../services/shared/outcome';
import { INHERITS_CACHE_HINT } from '../cache-hints';

registerEnumType(ErrorCode, { name: 'ErrorCode' });

@ObjectType()
@Directive(INHERITS_CACHE_HINT)
export class Money {
  @Field(() => SafeIntResolver, { description: 'Integer minor units.' })
  amount!: number;

  @Field({ description: 'ISO 4217 code.' })
  currency!: string;

  static of(amount: number, currency: string): Money {
    return Object.assign(new Money(), { amount, currency });
  }
}

@InterfaceType()
export abstract class ErrorResult {
  @Field(() => ErrorCode)
  errorCode!: ErrorCode;

  @Field()
  message!: string;
}

@ObjectType({ implements: ErrorResult, description: 'The general business error.' })
export class UserError extends ErrorResult {
  @Field(() => String, { nullable: true, description: 'Input field the error is about, when there is one.' })
  field?: string | null;
}

@ObjectType('PriceChange')
export class PriceChangeType {
  @Field(() => ID) variantId!: string;
  @Field(() => Money) previous!: Money;
  @Field(() => Money) current!: Money;
}

@ObjectType({ implements: ErrorResult, description: 'Prices moved beyond the allowed drift since the buyer last saw them.' })
export class PriceChangedError extends ErrorResult {
  @Field(() => [PriceChangeType]) changes!: PriceChangeType[];

  @Field({ description: "The cart's new version key; confirm again with it (and acknowledgePriceChange) to accept." })
  versionKey!: string;
}

@ObjectType('StockShortfall')
export class StockShortfallType {
  @Field(() => ID) variantId!: string;
  @Field(() => Int) requested!: number;
  @Field(() => Int) available!: number;
}

@ObjectType({ implements: ErrorResult })
export class InsufficientStockError extends ErrorResult {
  @Field(() => [StockShortfallType]) shortfalls!: StockShortfallType[];
}

@ObjectType()
@Directive(INHERITS_CACHE_HINT)
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

export type FailureType = UserError | InsufficientStockError | PriceChangedError;

/** Maps a service failure to its GraphQL union member. */
export function toErrorResult(failure: Failure): FailureType {
  switch (failure.kind) {
    case 'user':
      return Object.assign(new UserError(), { errorCode: failure.code, message: failure.message, field: failure.field ?? null });
    case 'insufficient_stock':
      return Object.assign(new InsufficientStockError(), {
        errorCode: failure.code,
        message: failure.message,
        shortfalls: failure.shortfalls.map((s) => Object.assign(new StockShortfallType(), s)),
      });
    case 'price_changed':
      return Object.assign(new PriceChangedError(), {
        errorCode: failure.code,
        message: failure.message,
        versionKey: failure.versionKey,
        changes: failure.changes.map((c) =>
          Object.assign(new PriceChangeType(), {
            variantId: c.variantId,
            previous: Money.of(c.previous, c.currency),
            current: Money.of(c.current, c.currency),
          }),
        ),
      });
  }
}
