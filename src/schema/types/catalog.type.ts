import { Field, ID, ObjectType } from 'type-graphql';
import type { Product, Seller, ShippingMethod, Variant } from '../../entities';
import { Money, PageInfo } from './common.type';

/**
 * Catalog types. Relations (Product.seller, Product.variants, Variant.product,
 * Variant.available) are field resolvers backed by per-request DataLoaders in
 * catalog.resolver.ts; the ids they need are kept here as plain, non-GraphQL
 * properties so mapping never touches a lazy ORM reference.
 */
@ObjectType('Seller')
export class SellerType {
  @Field(() => ID) id!: string;
  @Field() name!: string;

  static from(seller: Seller): SellerType {
    return Object.assign(new SellerType(), { id: seller.id, name: seller.name });
  }
}

@ObjectType('Product')
export class ProductType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  sellerId!: string | null;
  createdAt!: Date;

  static from(product: Product): ProductType {
    return Object.assign(new ProductType(), {
      id: product.id,
      name: product.name,
      sellerId: product.seller?.id ?? null,
      createdAt: product.createdAt,
    });
  }
}

@ObjectType('Variant')
export class VariantType {
  @Field(() => ID) id!: string;
  @Field() sku!: string;
  @Field() name!: string;
  @Field(() => Money) price!: Money;
  productId!: string;

  static from(variant: Variant): VariantType {
    return Object.assign(new VariantType(), {
      id: variant.id,
      sku: variant.sku,
      name: variant.name,
      price: Money.of(variant.price, variant.currency),
      productId: variant.product.id,
    });
  }
}

@ObjectType()
export class ProductConnection {
  @Field(() => [ProductType]) nodes!: ProductType[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType('ShippingMethod')
export class ShippingMethodType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => Money) price!: Money;

  static from(method: ShippingMethod): ShippingMethodType {
    return Object.assign(new ShippingMethodType(), { id: method.id, name: method.name, price: Money.of(method.price, method.currency) });
  }
}
