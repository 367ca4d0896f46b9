import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { PaymentLinkStatus, type PaymentLink } from '../../entities';
import { paymentLinkUrl } from '../../services/payment-links/payment-link-admin.service';
import { Money } from './common.type';

registerEnumType(PaymentLinkStatus, { name: 'PaymentLinkStatus' });

/** `orders` is a field resolver (payment-link.resolver.ts) backed by a per-request loader. */
@ObjectType('PaymentLink')
export class PaymentLinkType {
  @Field(() => ID) id!: string;
  @Field({ description: 'Absolute URL of GET /pay/<token>.' }) url!: string;
  @Field() email!: string;
  @Field() description!: string;
  @Field(() => Money) amount!: Money;
  @Field(() => PaymentLinkStatus) status!: PaymentLinkStatus;

  static from(link: PaymentLink, publicUrl: string): PaymentLinkType {
    return Object.assign(new PaymentLinkType(), {
      id: link.id,
      url: paymentLinkUrl(publicUrl, link.token),
      email: link.email,
      description: link.description,
      amount: Money.of(link.amount, link.currency),
      status: link.status,
    });
  }
}
