import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { valueOrBadInput } from '../schema/bad-input';
import type { GraphQLContext } from '../schema/context';
import { CreatePartnerInput, IssuePartnerKeyInput, RevokePartnerKeyInput } from '../schema/inputs/partner.input';
import { PartnerKeyIssuedType, PartnerKeyType, PartnerType } from '../schema/types/partner.type';
import { PartnersService } from '../services/partners/partners.service';

const partners = (ctx: GraphQLContext) => new PartnersService(ctx.em, ctx.deps);

/** Admin: partners and their API keys (src/http/partner-keys.ts checks the keys on requests). */
@Resolver()
export class PartnerResolver {
  @Authorized('ADMIN')
  @Query(() => [PartnerType], { description: 'Admin.' })
  async partners(@Ctx() ctx: GraphQLContext): Promise<PartnerType[]> {
    return (await partners(ctx).list()).map(({ partner, keys }) => PartnerType.from(partner, keys));
  }

  @Authorized('ADMIN')
  @Mutation(() => PartnerType, { description: 'Admin.' })
  async createPartner(@Arg('input', () => CreatePartnerInput) input: CreatePartnerInput, @Ctx() ctx: GraphQLContext): Promise<PartnerType> {
    return PartnerType.from(valueOrBadInput(await partners(ctx).createPartner(input.name)), []);
  }

  @Authorized('ADMIN')
  @Mutation(() => PartnerKeyIssuedType, { description: 'Admin. A partner has at most two active keys.' })
  async issuePartnerKey(@Arg('input', () => IssuePartnerKeyInput) input: IssuePartnerKeyInput, @Ctx() ctx: GraphQLContext): Promise<PartnerKeyIssuedType> {
    const issued = valueOrBadInput(await partners(ctx).issueKey(input.partnerId));
    return Object.assign(new PartnerKeyIssuedType(), { key: PartnerKeyType.from(issued.key), secret: issued.secret });
  }

  @Authorized('ADMIN')
  @Mutation(() => PartnerKeyType, { description: 'Admin.' })
  async revokePartnerKey(@Arg('input', () => RevokePartnerKeyInput) input: RevokePartnerKeyInput, @Ctx() ctx: GraphQLContext): Promise<PartnerKeyType> {
    return PartnerKeyType.from(valueOrBadInput(await partners(ctx).revokeKey(input.keyId)));
  }
}
