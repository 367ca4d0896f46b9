import { IsOptional, Max, MaxLength, Min } from 'class-validator';
import { ArgsType, Field, Int } from 'type-graphql';
import { OrderStatus } from '../../entities';
import { DEFAULT_ORDER_PAGE_SIZE, MAX_ORDER_PAGE_SIZE } from '../../services/orders/order-queries.service';

/** Page arguments of Customer.orders; validated so a bad value is a clean BAD_USER_INPUT. */
@ArgsType()
export class OrderPageArgs {
  // Nullable with a default, as in the contract; an explicit null means the default.
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_ORDER_PAGE_SIZE })
  @IsOptional()
  @Min(1)
  @Max(MAX_ORDER_PAGE_SIZE)
  first?: number | null;

  @Field(() => String, { nullable: true })
  @MaxLength(200)
  after?: string | null;
}

/** Query.orders (admin): the page plus an optional status filter. */
@ArgsType()
export class AdminOrderPageArgs extends OrderPageArgs {
  @Field(() => OrderStatus, { nullable: true })
  status?: OrderStatus | null;
}
