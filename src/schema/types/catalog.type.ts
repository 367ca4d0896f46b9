import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BillingInterval, VariantKind, type Product, type Variant } from '../../entities';
import type { ProductRow, VariantRow } from '../../services/catalog/catalog-query.service';
import { Money, PageInfo } from './common.type';

/**
 * Catalog types: plain objects, mapped from the catalog's rows (catalog
 * queries) or from entities (admin mutations, order lines). Relations
 * (Product.seller, Product.variants, Variant.product, Variant.available) are
 * field resolvers in catalog.resolver.ts; the ids they need, and the related
 * data when it was already read (joined, or read ahead for a whole list), are
 * kept here as plain, non-GraphQL properties, so mapping never touches a lazy
 * ORM reference and a field resolver with the data in hand answers at once.
 *
 * `simpleResolvers`: their own fields are plain properties, so graphql-js's
 * default resolver reads them; type-graphql's per-field wrapper would only add
 * work to every field of every row (a catalog page has thousands).
 */
@ObjectType('Seller', { simpleResolvers: true })
export class SellerType {
  @Field(() => ID) id!: string;
  @Field() name!: string;

  /** From a Seller entity or a seller row alike. */
  static from(seller: { id: string; name: string }): SellerType {
    return Object.assign(new SellerType(), { id: seller.id, name: seller.name });
  }
}

@ObjectType('Product', { simpleResolvers: true })
export class ProductType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  sellerId!: string | null;
  createdAt!: Date;
  /** The seller when it was read with the product; undefined = not read, ask the seller loader. */
  joinedSeller?: SellerType | null;
  /** The variants when a list resolver read them ahead for the whole list; undefined = ask the loader. */
  knownVariants?: VariantType[];

  static from(product: Product): ProductType {
    return Object.assign(new ProductType(), {
      id: product.id,
      name: product.name,
      sellerId: product.seller?.id ?? null,
      createdAt: product.createdAt,
    });
  }

  static fromRow(row: ProductRow): ProductType {
    return Object.assign(new ProductType(), {
      id: row.id,
      name: row.name,
      sellerId: row.sellerId,
      createdAt: row.createdAt,
      joinedSeller: row.seller ? SellerType.from(row.seller) : null,
    });
  }
}

registerEnumType(VariantKind, { name: 'VariantKind' });
registerEnumType(BillingInterval, { name: 'BillingInterval' });

@ObjectType('Variant', { simpleResolvers: true })
export class VariantType {
  @Field(() => ID) id!: string;
  @Field() sku!: string;
  @Field() name!: string;
  @Field(() => Money) price!: Money;
  @Field(() => VariantKind) kind!: VariantKind;
  @Field(() => Int, { nullable: true, description: 'DIGITAL only: licenses that may ever be issued; null = unlimited.' })
  maxLicenses!: number | null;
  @Field(() => BillingInterval, { nullable: true, description: 'SUBSCRIPTION only: how often the plan renews.' })
  billingInterval!: BillingInterval | null;
  @Field(() => Int, { nullable: true, description: 'SUBSCRIPTION only: renews every billingIntervalCount intervals.' })
  billingIntervalCount!: number | null;
  productId!: string;
  /** The product when it is already in hand (the parent in a product list, or joined); otherwise the product loader is asked. */
  knownProduct?: ProductType;
  /** Availability when it was read ahead for a whole list; undefined = ask the loader. */
  knownAvailable?: number;

  static from(variant: Variant): VariantType {
    return Object.assign(new VariantType(), {
      id: variant.id,
      sku: variant.sku,
      name: variant.name,
      price: Money.of(variant.price, variant.currency),
      kind: variant.kind,
      maxLicenses: variant.maxLicenses,
      billingInterval: variant.billingInterval,
      billingIntervalCount: variant.billingIntervalCount,
      productId: variant.product.id,
    });
  }

  static fromRow(row: VariantRow, product?: ProductType): VariantType {
    return Object.assign(new VariantType(), {
      id: row.id,
      sku: row.sku,
      name: row.name,
      price: Money.of(row.price, row.currency),
      kind: row.kind,
      maxLicenses: row.maxLicenses,
      billingInterval: row.billingInterval,
      billingIntervalCount: row.billingIntervalCount,
      productId: row.productId,
      knownProduct: product,
      knownAvailable: row.available,
    });
  }
}

@ObjectType({ simpleResolvers: true })
export class ProductConnection {
  @Field(() => [ProductType]) nodes!: ProductType[];
  @Field(() => PageInfo) pageInfo!: PageInfo;

  static of(nodes: ProductType[], hasNextPage: boolean, endCursor: string | null): ProductConnection {
    return Object.assign(new ProductConnection(), { nodes, pageInfo: Object.assign(new PageInfo(), { hasNextPage, endCursor }) });
  }
}

@ObjectType('ShippingMethod', { simpleResolvers: true })
export class ShippingMethodType {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => Money) price!: Money;

  /** From a ShippingMethod entity or a shipping method row alike. */
  static from(method: { id: string; name: string; price: number; currency: string }): ShippingMethodType {
    return Object.assign(new ShippingMethodType(), { id: method.id, name: method.name, price: Money.of(method.price, method.currency) });
  }
}
