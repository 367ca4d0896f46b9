/**
 * Marketplace payout arithmetic, integer minor units only.
 *
 * - A seller's transfer = the seller's line totals after discounts (before tax)
 *   minus the platform fee in basis points, rounded half up in the platform's
 *   favour; a seller left with nothing gets no transfer.
 * - A refund reverses the refunded share of each completed transfer:
 *   target reversed = floor(amount x refunded / captured); a full refund
 *   reverses all of it. Each reversal moves only target - already reversed.
 * - Retries back off exponentially: base x 2^(failures - 1), capped.
 */
export interface SellerLine {
  sellerId: string | null;
  /** quantity x unit price - discount. */
  total: number;
}

const BPS = 10_000n;

export function platformFee(amount: number, feeBps: number): number {
  return Number((BigInt(amount) * BigInt(feeBps) + BPS / 2n) / BPS);
}

/** Seller id -> amount to transfer, in order of first appearance. */
export function sellerTransferAmounts(lines: readonly SellerLine[], feeBps: number): Map<string, number> {
  const gross = new Map<string, number>();
  for (const line of lines) {
    if (line.sellerId) gross.set(line.sellerId, (gross.get(line.sellerId) ?? 0) + line.total);
  }
  const net = new Map<string, number>();
  for (const [sellerId, amount] of gross) {
    const payout = amount - platformFee(amount, feeBps);
    if (payout > 0) net.set(sellerId, payout);
  }
  return net;
}

/** How much of a transfer should be reversed once `refunded` of `captured` went back to the buyer. */
export function reversalTarget(transferAmount: number, refunded: number, captured: number): number {
  if (captured <= 0 || refunded <= 0) return 0;
  if (refunded >= captured) return transferAmount;
  // BigInt: amount x refunded can pass 2^53 for large orders.
  return Number((BigInt(transferAmount) * BigInt(refunded)) / BigInt(captured));
}

export interface BackoffSettings {
  baseMs: number;
  maxMs: number;
}

/** Delay before the next attempt after `failures` failed ones (failures >= 1). */
export function backoffDelayMs(failures: number, settings: BackoffSettings): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 40);
  return Math.min(settings.maxMs, settings.baseMs * 2 ** exponent);
}
