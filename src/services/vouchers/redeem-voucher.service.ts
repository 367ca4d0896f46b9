import type { EntityManager } from '../../db/orm';
import { Order, RedemptionStatus, Voucher, VoucherKind, VoucherRedemption } from '../../entities';
import { appendLedgerEntry } from '../credit/credit-ledger';
import { recordEvent } from '../outbox/outbox';
import type { AppDeps } from '../app-deps';
import { ErrorCode } from '../shared/error-code';
import { abortWith, userFailure, type Failure, type Outcome } from '../shared/outcome';
import { transactionalOutcome } from '../shared/transactions';
import { retryTransient } from '../shared/db-retry';
import { normalizeVoucherCode } from './voucher-codes';
import { takeRedemption } from './voucher-holds';

/** Why a CREDIT voucher cannot be redeemed right now (cart vouchers go through checkVoucherEligibility). */
function creditVoucherRefusal(voucher: Voucher, now: Date): Failure | null {
  const refuse = (code: ErrorCode, message: string) => userFailure(code, message, 'code');
  if (voucher.kind !== VoucherKind.CREDIT || !voucher.currency) {
    return refuse(ErrorCode.VOUCHER_NOT_APPLICABLE, 'Only store-credit vouchers can be redeemed to your account; apply this one to a cart.');
  }
  if (voucher.startsAt && voucher.startsAt.getTime() > now.getTime()) return refuse(ErrorCode.VOUCHER_NOT_STARTED, 'This voucher is not valid yet.');
  if (voucher.endsAt && voucher.endsAt.getTime() <= now.getTime()) return refuse(ErrorCode.VOUCHER_EXPIRED, 'This voucher has expired.');
  return null;
}

/**
 * redeemVoucher: one transaction takes a use of a CREDIT voucher (caps enforced
 * by the database), writes the CONSUMED redemption with the credit it granted,
 * the ledger grant (reason `voucher:<CODE>`) and the outbox `voucher.redeemed`.
 */
export class RedeemVoucherService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: Pick<AppDeps, 'clock' | 'db' | 'stores'>,
  ) {}

  redeem(customerId: string, rawCode: string): Promise<Outcome<VoucherRedemption>> {
    const code = normalizeVoucherCode(rawCode);
    return retryTransient(() =>
      transactionalOutcome(this.em, async (tx) => {
        const uow = this.deps.db.unitOfWork(tx);
        const now = this.deps.clock.now();
        const voucher = await tx.findOne(Voucher, { code });
        if (!voucher) return abortWith(userFailure(ErrorCode.VOUCHER_NOT_FOUND, `No voucher ${code}.`, 'code'));
        const refusal = creditVoucherRefusal(voucher, now);
        if (refusal) return abortWith(refusal);
        const currency = voucher.currency!;
        const redemptionId = await takeRedemption(uow, this.deps.stores.vouchers, voucher, customerId, {
          status: RedemptionStatus.CONSUMED,
          creditGranted: voucher.value,
          creditCurrency: currency,
          // A credit code is money: without an explicit limit, each customer redeems it once.
          perCustomerLimit: voucher.perCustomerLimit ?? 1,
          now,
        });
        await appendLedgerEntry(tx, {
          customerId,
          currency,
          amount: voucher.value,
          reason: `voucher:${voucher.code}`,
          entryKey: `voucher:${redemptionId}`,
          now,
        });
        recordEvent(tx, {
          type: 'voucher.redeemed',
          aggregateId: redemptionId,
          payload: { redemptionId, voucherId: voucher.id, code: voucher.code, customerId, creditGranted: voucher.value, currency },
        });
        return tx.findOneOrFail(VoucherRedemption, { id: redemptionId }, { populate: ['voucher'] });
      }),
    );
  }

  /** The order a redemption was used on, or null (a credit redemption has none). */
  async orderOf(redemption: { orderId: string | null }): Promise<Order | null> {
    return redemption.orderId ? this.em.findOne(Order, { id: redemption.orderId }) : null;
  }
}
