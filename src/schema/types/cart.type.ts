import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { EntityManager } from '../../db/orm';
import { type AddressValue, type Cart, type CartLine, CartStatus } from '../../entities';
import { orderedLines, priceCartEntity, type CartPricing } from '../../services/cart/cart-pricing';
import { cartVersionKey } from '../../services/cart/version-key';
import type { PricedLine, PricingResult } from '../../services/pricing/pricing-engine';
import { ShippingMethodType, VariantType } from './catalog.type';
import { Money } from './common.type';

/**
 * The public cart status. CHECKING_OUT is an internal step of an open cart, so
 * it is shown as OPEN; the schema only has the two states buyers can act on.
 */
export enum PublicCartStatus { OPEN = 'OPEN', CONVERTED = 'CONVERTED' }
registerEnumType(PublicCartStatus, { name: 'CartStatus' });

const publicStatus = (status: CartStatus): PublicCartStatus =>
  status === CartStatus.CONVERTED ? PublicCartStatus.CONVERTED : PublicCartStatus.OPEN;

@ObjectType('Address')
export class AddressType {
  @Field() name!: string;
  @Field() line1!: string;
  @Field() city!: string;
  @Field() postalCode!: string;
  @Field({ description: 'ISO 3166-1 alpha-2; selects the tax rate.' }) country!: string;

  static from(address: AddressValue): AddressType {
    const { name, line1, city, postalCode, country } = address;
    return Object.assign(new AddressType(), { name, line1, city, postalCode, country });
  }
}

@ObjectType('CartLine')
export class CartLineType {
  @Field(() => ID) id!: string;
  @Field(() => VariantType) variant!: VariantType;
  @Field(() => Int) quantity!: number;
  @Field(() => Money) unitPrice!: Money;
  @Field(() => Money, { description: "Discount allocated to this line; line discounts sum exactly to the cart's." }) discount!: Money;
  @Field(() => Money, { description: 'quantity x unitPrice - discount (before tax).' }) total!: Money;

  static from(line: CartLine, priced: PricedLine, currency: string): CartLineType {
    return Object.assign(new CartLineType(), {
      id: line.id,
      variant: VariantType.from(line.variant),
      quantity: priced.quantity,
      unitPrice: Money.of(priced.unitPrice, currency),
      discount: Money.of(priced.discount, currency),
      total: Money.of(priced.net, currency),
    });
  }
}

@ObjectType('CartTotals')
export class CartTotalsType {
  @Field(() => Money) subtotal!: Money;
  @Field(() => Money) discount!: Money;
  @Field(() => Money) shipping!: Money;
  @Field(() => Money) shippingDiscount!: Money;
  @Field(() => Money) tax!: Money;
  @Field(() => Money) total!: Money;

  static from(pricing: PricingResult, currency: string): CartTotalsType {
    const money = (amount: number) => Money.of(amount, currency);
    return Object.assign(new CartTotalsType(), {
      subtotal: money(pricing.subtotal),
      discount: money(pricing.discount),
      shipping: money(pricing.shipping),
      shippingDiscount: money(pricing.shippingDiscount),
      tax: money(pricing.tax),
      total: money(pricing.total),
    });
  }
}

/**
 * Scalar fields are mapped up front; `lines` and `totals` are field resolvers
 * (cart.resolver.ts) that share one pricing of the cart per answer, computed
 * only when asked for.
 */
@ObjectType('Cart')
export class CartType {
  @Field(() => ID) id!: string;
  @Field(() => PublicCartStatus) status!: PublicCartStatus;
  @Field() currency!: string;
  @Field(() => Int, { description: 'Increments on every change.' }) version!: number;
  @Field({
    description:
      "Hash of the cart's own state (lines with their stored unit prices, vouchers, shipping, address, currency, customer or email). With the cart id it keys checkout idempotency.",
  })
  versionKey!: string;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => [String]) voucherCodes!: string[];
  @Field(() => ShippingMethodType, { nullable: true }) shippingMethod!: ShippingMethodType | null;
  @Field(() => AddressType, { nullable: true }) shippingAddress!: AddressType | null;
  @Field(() => Date, { nullable: true }) pricesValidatedAt!: Date | null;

  private source!: Cart;
  private pricingMemo: Promise<CartPricing> | null = null;

  /** Expects the cart loaded with its lines, their variants and its shipping method (cart-access does). */
  static from(cart: Cart): CartType {
    return Object.assign(new CartType(), {
      id: cart.id,
      status: publicStatus(cart.status),
      currency: cart.currency,
      version: cart.version,
      versionKey: cartVersionKey(cart),
      email: cart.email,
      voucherCodes: [...cart.voucherCodes],
      shippingMethod: cart.shippingMethod ? ShippingMethodType.from(cart.shippingMethod) : null,
      shippingAddress: cart.shippingAddress ? AddressType.from(cart.shippingAddress) : null,
      pricesValidatedAt: cart.pricesValidatedAt,
      source: cart,
    });
  }

  async pricedLines(em: EntityManager): Promise<CartLineType[]> {
    const { pricing } = await this.pricing(em);
    const pricedById = new Map(pricing.lines.map((priced) => [priced.lineId, priced]));
    const lines = await orderedLines(this.source);
    return lines.map((line) => CartLineType.from(line, pricedById.get(line.id)!, this.currency));
  }

  async pricedTotals(em: EntityManager): Promise<CartTotalsType> {
    return CartTotalsType.from((await this.pricing(em)).pricing, this.currency);
  }

  private pricing(em: EntityManager): Promise<CartPricing> {
    this.pricingMemo ??= priceCartEntity(em, this.source);
    return this.pricingMemo;
  }
}
