import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '../../db/orm';
import { Partner, PartnerKey } from '../../entities';
import { recordEvent } from '../outbox/outbox';
import type { AppDeps } from '../app-deps';
import { ErrorCode } from '../shared/error-code';
import { isId } from '../shared/ids';
import { abortWith, fail, userFailure, type Outcome } from '../shared/outcome';
import { transactionalOutcome } from '../shared/transactions';
import { newKeyMaterial } from './partner-key-secret';

export const ACTIVE_KEY_SLOTS = [1, 2] as const;
const ISSUE_ATTEMPTS = 5;

export interface IssuedKey {
  key: PartnerKey;
  /** The whole key; it exists only in this answer. */
  secret: string;
}

export interface PartnerWithKeys {
  partner: Partner;
  keys: PartnerKey[];
}

const noPartner = () => userFailure(ErrorCode.NOT_FOUND, 'No partner with this id.', 'partnerId');

/** Admin use cases for partners and their keys; the request-time check is partner-authentication.ts. */
export class PartnersService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: Pick<AppDeps, 'clock'>,
  ) {}

  async createPartner(name: string): Promise<Outcome<Partner>> {
    const trimmed = name.trim();
    if (!trimmed) return fail(ErrorCode.VALIDATION_FAILED, 'A partner needs a name.', 'name');
    try {
      return await transactionalOutcome(this.em, async (tx) => {
        const partner = tx.create(Partner, { name: trimmed, createdAt: this.deps.clock.now() });
        recordEvent(tx, { type: 'partner.created', aggregateId: partner.id, payload: { name: trimmed } });
        return partner;
      });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) return fail(ErrorCode.VALIDATION_FAILED, `A partner named "${trimmed}" exists already.`, 'name');
      throw error;
    }
  }

  /**
   * A new active key in a free slot. The unique (partner, active slot) index is
   * what refuses a third active key: two admins issuing at once both pick a free
   * slot, one insert fails, and the retry sees the slot taken. Each round of
   * contenders fills a slot, so a few retries always end in a key or a refusal.
   */
  async issueKey(partnerId: string): Promise<Outcome<IssuedKey>> {
    if (!isId(partnerId)) return { ok: false, failure: noPartner() };
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.issueKeyOnce(partnerId);
      } catch (error) {
        if (!(error instanceof UniqueConstraintViolationException) || attempt === ISSUE_ATTEMPTS) throw error;
      }
    }
  }

  private issueKeyOnce(partnerId: string): Promise<Outcome<IssuedKey>> {
    return transactionalOutcome(this.em, async (tx) => {
      if (!(await tx.findOne(Partner, { id: partnerId }))) abortWith(noPartner());
      const active = await tx.find(PartnerKey, { partnerId, activeSlot: { $ne: null } });
      const slot = ACTIVE_KEY_SLOTS.find((candidate) => !active.some((key) => key.activeSlot === candidate));
      if (slot === undefined) {
        abortWith(userFailure(ErrorCode.VALIDATION_FAILED, 'A partner has at most two active keys: revoke one before issuing another.', 'partnerId'));
      }
      const material = newKeyMaterial();
      const key = tx.create(PartnerKey, {
        partnerId,
        prefix: material.prefix,
        salt: material.salt,
        secretHash: material.secretHash,
        activeSlot: slot,
        createdAt: this.deps.clock.now(),
      });
      recordEvent(tx, { type: 'partner_key.issued', aggregateId: partnerId, payload: { keyId: key.id, prefix: key.prefix } });
      return { key, secret: material.key };
    });
  }

  /** Refused from the next request on, in every gateway process (nothing caches a key). Revoking twice keeps the first time. */
  async revokeKey(keyId: string): Promise<Outcome<PartnerKey>> {
    const notFound = userFailure(ErrorCode.NOT_FOUND, 'No partner key with this id.', 'keyId');
    if (!isId(keyId)) return { ok: false, failure: notFound };
    return transactionalOutcome(this.em, async (tx) => {
      const revoked = await tx.nativeUpdate(PartnerKey, { id: keyId, revokedAt: null }, { revokedAt: this.deps.clock.now(), activeSlot: null });
      const key = (await tx.findOne(PartnerKey, { id: keyId })) ?? abortWith(notFound);
      if (revoked > 0) recordEvent(tx, { type: 'partner_key.revoked', aggregateId: key.partnerId, payload: { keyId: key.id, prefix: key.prefix } });
      return key;
    });
  }

  async list(): Promise<PartnerWithKeys[]> {
    const em = this.em.fork();
    const partners = await em.find(Partner, {}, { orderBy: { name: 'asc' } });
    const keys = await em.find(PartnerKey, { partnerId: { $in: partners.map((partner) => partner.id) } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    return partners.map((partner) => ({ partner, keys: keys.filter((key) => key.partnerId === partner.id) }));
  }
}
