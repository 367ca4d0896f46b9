import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../schema/context';
import { AuthResult } from '../schema/results/auth.result';
import { LogInInput, SignUpInput } from '../schema/inputs/auth.input';
import { toErrorResult } from '../schema/types/common.type';
import { AuthPayload, CustomerType } from '../schema/types/customer.type';
import { rateLimitsOf } from '../http/rate-limits';
import { AuthService, type Session } from '../services/auth/auth.service';
import { TokenStandingService } from '../services/auth/token-standing.service';
import type { Outcome } from '../services/shared/outcome';

const toAuthResult = (outcome: Outcome<Session>): typeof AuthResult =>
  outcome.ok
    ? Object.assign(new AuthPayload(), { token: outcome.value.token, customer: CustomerType.from(outcome.value.customer) })
    : toErrorResult(outcome.failure);

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthResult)
  async signUp(@Arg('input', () => SignUpInput) input: SignUpInput, @Ctx() ctx: GraphQLContext) {
    await rateLimitsOf(ctx).signUp();
    return toAuthResult(await new AuthService(ctx.em, ctx.deps).signUp(input));
  }

  @Mutation(() => AuthResult)
  async logIn(@Arg('input', () => LogInInput) input: LogInInput, @Ctx() ctx: GraphQLContext) {
    const auth = new AuthService(ctx.em, ctx.deps);
    return toAuthResult(await rateLimitsOf(ctx).logIn(input.email, () => auth.logIn(input)));
  }

  @Authorized('ADMIN')
  @Mutation(() => Boolean, {
    description: 'Admin. Every token issued to the customer so far stops working (a stolen token, a lost device). False when no customer has this id.',
  })
  async revokeTokens(@Arg('customerId', () => ID) customerId: string, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    return new TokenStandingService(ctx.em, ctx.deps).revokeTokens(customerId);
  }

  @Query(() => CustomerType, { nullable: true })
  async me(@Ctx() ctx: GraphQLContext): Promise<CustomerType | null> {
    if (!ctx.viewer) return null;
    const customer = await new AuthService(ctx.em, ctx.deps).findCustomer(ctx.viewer.customerId);
    return customer ? CustomerType.from(customer) : null;
  }
}
