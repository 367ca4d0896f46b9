import { DateTimeResolver, SafeIntResolver } from 'graphql-scalars';

/** Dates are the graphql-scalars DateTime; money and counts that may exceed 2^31 are SafeInt. */
export const scalarsMap = [{ type: Date, scalar: DateTimeResolver }];
export { DateTimeResolver, SafeIntResolver };
