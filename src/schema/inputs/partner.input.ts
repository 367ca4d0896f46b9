import { Matches, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

/** The partners.name column's length: the name labels the partner's logs and metrics. */
const PARTNER_NAME_MAX = 100;

@InputType()
export class CreatePartnerInput {
  @Field()
  @MaxLength(PARTNER_NAME_MAX)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;
}

@InputType()
export class IssuePartnerKeyInput {
  // Ids are UUIDs: a longer string is refused as input, a short malformed one answers NOT_FOUND.
  @Field(() => ID)
  @MaxLength(64)
  partnerId!: string;
}

@InputType()
export class RevokePartnerKeyInput {
  @Field(() => ID)
  @MaxLength(64)
  keyId!: string;
}
