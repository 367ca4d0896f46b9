import { ProductDocument, ProductsDocument, ShippingMethodsDocument, VariantDocument } from './generated/graphql';

/**
 * The public catalog's documents: their answers are the same for every
 * anonymous caller, so a persisted client sends them as GET with the hash in
 * the URL, which a CDN or the browser may keep for the server's CATALOG_MAX_AGE
 * and revalidate with If-None-Match. Everything else goes as POST.
 */
export const CATALOG_DOCUMENTS = [ProductsDocument, ProductDocument, VariantDocument, ShippingMethodsDocument] as const;
