import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { type AddressValue, CartStatus } from '../../entities';
import {
  priceSnapshot,
  snapshotVersionKey,
  type CartLineSnapshot,
  type CartReads,
  type CartSnapshot,
  type SnapshotPricing,
} from '../../services/cart/cart-snapshot';
import type { PricedLine, PricingResult } from '../../services/pricing/pricing-engine';
import { ShippingMethodType, VariantType } from './catalog.type';
import { Money } from './common.type';

/**
 * The public cart status. CHECKING_OUT is an internal step of an open cart, so
 * it is shown as OPEN; the schema only has the two states buyers can act on.
 */
export enum PublicCartStatus {
  OPEN = 'OPEN',
  CONVERTED = 'CONVERTED',
}
registerEnumType(PublicCartStatus, { name: 'CartStatus' });

const publicStatus = (status: CartStatus): PublicCartStatus => (status === CartStatus.CONVERTED ? PublicCartStatus.CONVERTED : PublicCartStatus.OPEN);

@ObjectType('Address', { simpleResolvers: true })
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

@ObjectType('CartLine', { simpleResolvers: true })
export class CartLineType {
  @Field(() => ID) id!: string;
  @Field(() => VariantType) variant!: VariantType;
  @Field(() => Int) quantity!: number;
  @Field(() => Money) unitPrice!: Money;
  @Field(() => Money, { description: "Discount allocated to this line; line discounts sum exactly to the cart's." }) discount!: Money;
  @Field(() => Money, { description: 'quantity x unitPrice - discount (before tax).' }) total!: Money;

  static from(line: CartLineSnapshot, priced: PricedLine, currency: string): CartLineType {
    // The variant as the catalog shows it now (current price), built from the facts read with the line.
    const variant = Object.assign(new VariantType(), {
      id: line.variantId,
      sku: line.sku,
      name: line.variantName,
      price: Money.of(line.catalogPrice, line.variantCurrency),
      productId: line.productId,
    });
    return Object.assign(new CartLineType(), {
      id: line.id,
      variant,
      quantity: priced.quantity,
      unitPrice: Money.of(priced.unitPrice, currency),
      discount: Money.of(priced.discount, currency),
      total: Money.of(priced.net, currency),
    });
  }
}

@ObjectType('CartTotals', { simpleResolvers: true })
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

/** What a cart answer is built from: a snapshot (the owner's email is not shown, so a new cart need not know it). */
export type CartAnswerSource = Omit<CartSnapshot, 'customerEmail'>;

/**
 * Plain data built from a cart snapshot (its own fields use graphql-js's
 * default resolver: no per-field wrapper). `lines` and `totals` are field
 * resolvers (cart.resolver.ts) sharing one pricing per answer, computed in
 * memory from the snapshot's own pricing inputs: answering a cart runs no SQL
 * beyond the read (or change) that produced the snapshot.
 */
@ObjectType('Cart', { simpleResolvers: true })
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

  private source!: CartAnswerSource;
  private pricingMemo: Promise<SnapshotPricing> | null = null;

  static from(cart: CartAnswerSource): CartType {
    return Object.assign(new CartType(), {
      id: cart.id,
      status: publicStatus(cart.status),
      currency: cart.currency,
      version: cart.version,
      versionKey: snapshotVersionKey(cart),
      email: cart.email,
      voucherCodes: [...cart.voucherCodes],
      shippingMethod: cart.shippingMethod ? ShippingMethodType.from(cart.shippingMethod) : null,
      shippingAddress: cart.shippingAddress ? AddressType.from(cart.shippingAddress) : null,
      pricesValidatedAt: cart.pricesValidatedAt,
      source: cart,
    });
  }

  async pricedLines(reads: CartReads): Promise<CartLineType[]> {
    const { pricing } = await this.pricing(reads);
    const pricedById = new Map(pricing.lines.map((priced) => [priced.lineId, priced]));
    return this.source.lines.map((line) => CartLineType.from(line, pricedById.get(line.id)!, this.currency));
  }

  async pricedTotals(reads: CartReads): Promise<CartTotalsType> {
    return CartTotalsType.from((await this.pricing(reads)).pricing, this.currency);
  }

  /** `reads` is only used when the snapshot's pricing inputs no longer match it (priceSnapshot reads them then). */
  private pricing(reads: CartReads): Promise<SnapshotPricing> {
    this.pricingMemo ??= priceSnapshot(reads, this.source);
    return this.pricingMemo;
  }
}
