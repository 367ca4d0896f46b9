import { Field, ID, ObjectType } from 'type-graphql';
import type { Partner, PartnerKey } from '../../entities';

@ObjectType('PartnerKey', { simpleResolvers: true })
export class PartnerKeyType {
  @Field(() => ID) id!: string;
  @Field({ description: 'The first characters of the key, to tell keys apart; the secret itself is never stored.' }) prefix!: string;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) lastUsedAt!: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;

  static from(key: PartnerKey): PartnerKeyType {
    return Object.assign(new PartnerKeyType(), {
      id: key.id,
      prefix: key.prefix,
      createdAt: key.createdAt,
      lastUsedAt: key.lastUsedAt,
      revokedAt: key.revokedAt,
    });
  }
}

@ObjectType('Partner', { simpleResolvers: true })
export class PartnerType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => [PartnerKeyType]) keys!: PartnerKeyType[];
  @Field() createdAt!: Date;

  static from(partner: Partner, keys: readonly PartnerKey[]): PartnerType {
    return Object.assign(new PartnerType(), { id: partner.id, name: partner.name, keys: keys.map(PartnerKeyType.from), createdAt: partner.createdAt });
  }
}

@ObjectType('PartnerKeyIssued', { simpleResolvers: true })
export class PartnerKeyIssuedType {
  @Field(() => PartnerKeyType) key!: PartnerKeyType;
  @Field({ description: 'Shown once.' }) secret!: string;
}
