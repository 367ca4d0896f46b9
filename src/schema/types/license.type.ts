import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { LicenseStatus, type License } from '../../entities';

registerEnumType(LicenseStatus, { name: 'LicenseStatus' });

/** A license as its owner (or an admin) sees it; `variant` is a field resolver reading `variantId` through a loader. */
@ObjectType('License', { simpleResolvers: true })
export class LicenseType {
  @Field(() => ID) id!: string;
  @Field({ description: 'Shown to the owner and admins only.' }) key!: string;
  @Field(() => LicenseStatus) status!: LicenseStatus;
  @Field(() => ID) orderId!: string;
  @Field() issuedAt!: Date;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;

  variantId!: string;

  static from(license: License): LicenseType {
    return Object.assign(new LicenseType(), {
      id: license.id,
      key: license.key,
      status: license.status,
      orderId: license.orderId,
      issuedAt: license.issuedAt,
      revokedAt: license.revokedAt,
      variantId: license.variantId,
    });
  }
}

/** What anyone may learn about a key: whether it is live, and what it is for. Never who bought it. */
@ObjectType('LicenseVerification', { simpleResolvers: true })
export class LicenseVerificationType {
  @Field() valid!: boolean;
  @Field(() => LicenseStatus, { nullable: true }) status!: LicenseStatus | null;
  @Field(() => String, { nullable: true }) productName!: string | null;
  @Field(() => String, { nullable: true }) variantSku!: string | null;
  @Field(() => Date, { nullable: true }) revokedAt!: Date | null;
}
