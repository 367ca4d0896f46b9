import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '../../db/orm';
import { Voucher, VoucherKind } from '../../entities';
import type { AppDeps } from '../app-deps';
import { ErrorCode } from '../shared/error-code';
import { abortWith, fail, userFailure, type Outcome } from '../shared/outcome';
import { transactionalOutcome } from '../shared/transactions';
import { MAX_VOUCHER_CODE_LENGTH, normalizeVoucherCode } from './voucher-codes';

export interface NewVoucher {
  code: string;
  kind: VoucherKind;
  value: number;
  currency?: string | null;
  maxRedemptions?: number | null;
  perCustomerLimit?: number | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  minSubtotal?: number | null;
}

const MAX_BPS = 10_000;

/** The per-kind value rules; null when the voucher makes sense. */
export function voucherRuleViolation(input: NewVoucher): Outcome<never> | null {
  switch (input.kind) {
    case VoucherKind.PERCENT_OFF:
      if (input.value < 1 || input.value > MAX_BPS) {
        return fail(ErrorCode.VALIDATION_FAILED, 'A PERCENT_OFF value is in basis points, from 1 to 10000 (100%).', 'value');
      }
      break;
    case VoucherKind.AMOUNT_OFF:
    case VoucherKind.CREDIT:
      if (!input.currency) return fail(ErrorCode.VALIDATION_FAILED, `A ${input.kind} voucher needs a currency.`, 'currency');
      if (input.value <= 0) return fail(ErrorCode.VALIDATION_FAILED, `A ${input.kind} value must be above 0 minor units.`, 'value');
      break;
    case VoucherKind.FREE_SHIPPING:
      break;
  }
  if (input.startsAt && input.endsAt && input.startsAt.getTime() >= input.endsAt.getTime()) {
    return fail(ErrorCode.VALIDATION_FAILED, 'startsAt must be before endsAt.', 'endsAt');
  }
  return null;
}

/** Admin side of vouchers: creating them and looking them up. */
export class VoucherAdminService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: Pick<AppDeps, 'clock'>,
  ) {}

  async createVoucher(input: NewVoucher): Promise<Outcome<Voucher>> {
    const violation = voucherRuleViolation(input);
    if (violation) return violation;
    const code = normalizeVoucherCode(input.code);
    const taken = () => userFailure(ErrorCode.VALIDATION_FAILED, `Voucher code ${code} already exists.`, 'code');

    return transactionalOutcome(this.em, async (tx) => {
      const voucher = tx.create(Voucher, {
        code,
        kind: input.kind,
        value: input.value,
        currency: input.currency ?? null,
        maxRedemptions: input.maxRedemptions ?? null,
        perCustomerLimit: input.perCustomerLimit ?? null,
        startsAt: input.startsAt ?? null,
        endsAt: input.endsAt ?? null,
        minSubtotal: input.minSubtotal ?? null,
        createdAt: this.deps.clock.now(),
      });
      try {
        await tx.flush();
      } catch (error) {
        // The unique index on code decides, for a code taken long ago and for two admins racing alike.
        if (error instanceof UniqueConstraintViolationException) abortWith(taken());
        throw error;
      }
      return voucher;
    });
  }

  async findByCode(rawCode: string): Promise<Voucher | null> {
    const code = normalizeVoucherCode(rawCode);
    if (code.length === 0 || code.length > MAX_VOUCHER_CODE_LENGTH) return null;
    return this.em.findOne(Voucher, { code });
  }
}
