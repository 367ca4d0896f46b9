/**
 * Marketplace payout arithmetic, integer minor units only.
 *
 * - A seller's transfer = the seller's line totals after discounts (before tax)
 *   minus the platform fee in basis points, rounded half up in the platform's
 *   favour; a seller left with nothing gets no transfer.
 * - A refund reverses the refunded share of each completed transfer:
 *   target reversed = floor(amount x refunded / captured); a full refund
 *   reverses all of it. A refund that names lines reverses those units' share
 *   of their seller's transfer instead (lineAwareReversalTarget). Each
 *   reversal moves only target - already reversed.
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

/** A seller's part of the order's line-level refunds: the net (after discounts, before tax) of the refunded units, of the seller's whole net. */
export interface SellerLineRefunds {
  refundedNet: number;
  sellerNet: number;
}

/**
 * The reversal target when some refunds named lines: a line refund reverses
 * that line's share of its seller's transfer (floor(amount x refundedNet /
 * sellerNet)), an order-level refund the pro-rata share of what it gave back,
 * never more than the transfer; a full refund reverses all of it.
 */
export function lineAwareReversalTarget(
  transferAmount: number,
  totals: { refunded: number; captured: number; orderLevelRefunded: number },
  lines: SellerLineRefunds | undefined,
): number {
  if (totals.captured > 0 && totals.refunded >= totals.captured) return transferAmount;
  const byLines = lines && lines.sellerNet > 0 ? Number((BigInt(transferAmount) * BigInt(lines.refundedNet)) / BigInt(lines.sellerNet)) : 0;
  return Math.min(transferAmount, reversalTarget(transferAmount, totals.orderLevelRefunded, totals.captured) + byLines);
}
