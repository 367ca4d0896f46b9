import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import { rateLimitsOf } from '../http/rate-limits';
import { isAdmin } from '../schema/auth-checker';
import type { GraphQLContext } from '../schema/context';
import { variantLoader } from '../schema/loaders/catalog.loaders';
import { asksOnlyForId, referenceById } from '../schema/loaders/selection-lookahead';
import { licensesByOrderId } from '../schema/loaders/order.loaders';
import { VariantType } from '../schema/types/catalog.type';
import { CustomerType } from '../schema/types/customer.type';
import { LicenseType, LicenseVerificationType } from '../schema/types/license.type';
import { OrderType } from '../schema/types/order.type';
import { LicenseQueries } from '../services/licenses/license-queries';

/** The longest text verifyLicense looks at; anything longer is no key. */
const MAX_KEY_LENGTH = 200;

@Resolver(() => LicenseType)
export class LicenseResolver {
  @Query(() => LicenseVerificationType, { description: 'Anyone, partners included: is this key a live license? Never reveals the buyer.' })
  async verifyLicense(@Arg('key', () => String) key: string, @Ctx() ctx: GraphQLContext): Promise<LicenseVerificationType> {
    const answer = await rateLimitsOf(ctx).licenseCheck(() => new LicenseQueries(ctx.em).verify(key.length > MAX_KEY_LENGTH ? '' : key));
    return Object.assign(new LicenseVerificationType(), answer);
  }

  @FieldResolver(() => VariantType)
  async variant(@Root() license: LicenseType, @Ctx() ctx: GraphQLContext, @Info() info: GraphQLResolveInfo): Promise<VariantType> {
    if (asksOnlyForId(info)) return referenceById(VariantType, license.variantId);
    const variant = await ctx.loader(variantLoader).load(license.variantId);
    if (!variant) throw new Error(`variant ${license.variantId} of license ${license.id} is missing`);
    return VariantType.from(variant);
  }
}

/** Order.licenses: whoever may see the order (its owner, an admin, its order token's holder) sees its licenses. */
@Resolver(() => OrderType)
export class OrderLicensesResolver {
  @FieldResolver(() => [LicenseType])
  async licenses(@Root() order: OrderType, @Ctx() ctx: GraphQLContext): Promise<LicenseType[]> {
    return (await ctx.loader(licensesByOrderId).load(order.id)).map(LicenseType.from);
  }
}

@Resolver(() => CustomerType)
export class CustomerLicensesResolver {
  @FieldResolver(() => [LicenseType], { description: "The customer's own licenses, newest first (the customer or an admin)." })
  async licenses(@Root() customer: CustomerType, @Ctx() ctx: GraphQLContext): Promise<LicenseType[]> {
    if (ctx.viewer?.customerId !== customer.id && !isAdmin(ctx)) {
      throw new GraphQLError('You are not allowed to do this.', { extensions: { code: 'FORBIDDEN' } });
    }
    return (await new LicenseQueries(ctx.em).ofCustomer(customer.id)).map(LicenseType.from);
  }
}
