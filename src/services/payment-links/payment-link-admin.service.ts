import { randomBytes } from 'node:crypto';
import type { EntityManager } from '../../db/orm';
import { Customer, Order, PaymentLink } from '../../entities';
import type { AppDeps } from '../app-deps';
import { ErrorCode } from '../shared/error-code';
import { isId } from '../shared/ids';
import { fail, success, type Outcome } from '../shared/outcome';

export interface CreatePaymentLinkCommand {
  email: string;
  customerId: string | null;
  description: string;
  amount: number;
  currency: string;
}

/** 32 random bytes: the token is the link's only capability, so it must be unguessable. */
export const newPaymentLinkToken = (): string => randomBytes(32).toString('base64url');

export const paymentLinkUrl = (publicUrl: string, token: string): string => `${publicUrl.replace(/\/$/, '')}/pay/${token}`;

/** Admin: payment links, each for one payment of a fixed amount (GET /pay/<token> turns it into an order and a Checkout Session). */
export class PaymentLinkAdminService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: Pick<AppDeps, 'config' | 'clock'>,
  ) {}

  async create(command: CreatePaymentLinkCommand): Promise<Outcome<PaymentLink>> {
    const { em } = this;
    const { maxOrderAmount } = this.deps.config;
    if (!Number.isSafeInteger(command.amount) || command.amount <= 0 || command.amount > maxOrderAmount) {
      return fail(ErrorCode.ORDER_AMOUNT_OUT_OF_RANGE, `The amount must be between 1 and ${maxOrderAmount} minor units.`, 'amount');
    }
    if (!/^[A-Za-z]{3}$/.test(command.currency)) return fail(ErrorCode.VALIDATION_FAILED, 'The currency must be a 3-letter ISO 4217 code.', 'currency');
    if (command.customerId !== null && (!isId(command.customerId) || !(await em.findOne(Customer, { id: command.customerId })))) {
      return fail(ErrorCode.NOT_FOUND, 'No such customer.', 'customerId');
    }
    const link = em.create(PaymentLink, {
      token: newPaymentLinkToken(),
      email: command.email.trim().toLowerCase(),
      customerId: command.customerId,
      description: command.description,
      amount: command.amount,
      currency: command.currency.toUpperCase(),
      createdAt: this.deps.clock.now(),
    });
    await em.persistAndFlush(link);
    return success(link);
  }

  async find(id: string): Promise<PaymentLink | null> {
    return isId(id) ? this.em.findOne(PaymentLink, { id }) : null;
  }
}

/** Every order a link produced, oldest first (stale ones stay, CANCELLED, for the audit trail). */
export function ordersOfLinks(em: EntityManager, linkIds: readonly string[]): Promise<Order[]> {
  return em.find(Order, { paymentLinkId: { $in: [...linkIds] } }, { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
}
