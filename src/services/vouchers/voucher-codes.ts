/** Longest code a voucher can have (the column length); anything longer cannot exist. */
export const MAX_VOUCHER_CODE_LENGTH = 64;

/** Vouchers are stored upper-cased; buyers and admins may type them in any case. */
export const normalizeVoucherCode = (code: string): string => code.trim().toUpperCase();
