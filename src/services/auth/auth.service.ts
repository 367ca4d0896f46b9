import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { AccessChanges } from '../../db/access-changes';
import type { EntityManager } from '../../db/orm';
import { Customer, Role } from '../../entities';
import { ErrorCode } from '../shared/error-code';
import { fail, success, userFailure, type Failure, type Outcome } from '../shared/outcome';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from './passwords';
import type { TokenService } from './tokens';

export interface Credentials {
  email: string;
  password: string;
}

export interface Session {
  token: string;
  customer: Customer;
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 200;
export const MAX_EMAIL_LENGTH = 320;
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's whole job
const CONTROL = /[\u0000-\u001f]/;

/**
 * The rules a new account's email and password must meet, for signUp and
 * `npm run admin` alike. Over GraphQL the input's lengths and the
 * control-character check refuse first; the CLI has nothing in front of it.
 */
export function newCredentialsProblem(input: Credentials): Failure | null {
  const email = normalizeEmail(input.email);
  if (email.length > MAX_EMAIL_LENGTH || CONTROL.test(email) || !EMAIL.test(email)) {
    return userFailure(ErrorCode.VALIDATION_FAILED, 'Enter a valid email address.', 'email');
  }
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    return userFailure(ErrorCode.VALIDATION_FAILED, `Passwords need at least ${MIN_PASSWORD_LENGTH} characters.`, 'password');
  }
  if (input.password.length > MAX_PASSWORD_LENGTH || CONTROL.test(input.password)) {
    return userFailure(ErrorCode.VALIDATION_FAILED, `Passwords have at most ${MAX_PASSWORD_LENGTH} characters and no control characters.`, 'password');
  }
  return null;
}

/** What ensureAdmin did to the account. */
export interface AdminChange {
  customer: Customer;
  /** The account's role before, or null when it was created now. */
  previousRole: Role | null;
  /** The stored password was replaced, and with it every earlier token revoked. */
  passwordReplaced: boolean;
}

/**
 * What AuthService needs: the signing key, and whom to tell of a change to a
 * customer's role or token version (the process's access cache, or, from a
 * process that serves no requests, the gateways: accessChangesForOtherProcesses).
 */
export interface AuthDeps {
  tokens: TokenService;
  access: AccessChanges;
}

/** Accounts: sign-up, log-in, the admin account. A token's standing and its revocation are TokenStandingService's. */
export class AuthService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: AuthDeps,
  ) {}

  async signUp(input: Credentials): Promise<Outcome<Session>> {
    const problem = newCredentialsProblem(input);
    if (problem) return { ok: false, failure: problem };
    const email = normalizeEmail(input.email);
    const customer = this.em.create(Customer, { email, passwordHash: await hashPassword(input.password), role: Role.CUSTOMER });
    try {
      await this.em.persistAndFlush(customer);
    } catch (error) {
      // The contract's answer; the signUp rate limit is what stops enumeration at scale.
      if (error instanceof UniqueConstraintViolationException) {
        return fail(ErrorCode.EMAIL_TAKEN, 'An account with this email already exists.', 'email');
      }
      throw error;
    }
    return success({ token: await this.sessionToken(customer), customer });
  }

  /** The signed-in customer's own record (`me`), or null when the account is gone. */
  findCustomer(customerId: string): Promise<Customer | null> {
    return this.em.findOne(Customer, { id: customerId });
  }

  async logIn(input: Credentials): Promise<Outcome<Session>> {
    const customer = await this.em.findOne(Customer, { email: normalizeEmail(input.email) });
    const valid = await verifyPassword(input.password, customer?.passwordHash ?? dummyHash());
    if (!customer || !valid) return fail(ErrorCode.INVALID_CREDENTIALS, 'Email or password is wrong.');
    if (needsRehash(customer.passwordHash)) await this.upgradeHash(customer, input.password);
    return success({ token: await this.sessionToken(customer), customer });
  }

  /**
   * Creates the admin, or makes the account an admin with this password
   * (ADMIN_PASSWORD at every start, `npm run admin`). A changed password
   * revokes the account's earlier tokens; a new role counts from the next request.
   */
  async ensureAdmin(emailInput: string, password: string): Promise<AdminChange> {
    const email = normalizeEmail(emailInput);
    const existing = await this.em.findOne(Customer, { email });
    if (!existing) {
      const admin = this.em.create(Customer, { email, passwordHash: await hashPassword(password), role: Role.ADMIN });
      await this.em.persistAndFlush(admin);
      return { customer: admin, previousRole: null, passwordReplaced: false };
    }
    const previousRole = existing.role;
    existing.role = Role.ADMIN;
    const passwordReplaced = !(await verifyPassword(password, existing.passwordHash));
    if (passwordReplaced) {
      existing.passwordHash = await hashPassword(password);
      existing.tokenVersion += 1;
    } else if (needsRehash(existing.passwordHash)) {
      existing.passwordHash = await hashPassword(password);
    }
    await this.em.persistAndFlush(existing);
    if (previousRole !== Role.ADMIN || passwordReplaced) this.deps.access.changed(existing.id);
    return { customer: existing, previousRole, passwordReplaced };
  }

  /**
   * Creates the admin only when no account has this email; an existing
   * account keeps its password and role. False when it existed (or another
   * process created it at the same moment).
   */
  async createAdminIfMissing(emailInput: string, password: string): Promise<boolean> {
    const email = normalizeEmail(emailInput);
    if (await this.em.findOne(Customer, { email })) return false;
    const admin = this.em.create(Customer, { email, passwordHash: await hashPassword(password), role: Role.ADMIN });
    try {
      await this.em.persistAndFlush(admin);
      return true;
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) return false;
      throw error;
    }
  }

  /** The account's role, or null when no account has this email. */
  async roleOf(emailInput: string): Promise<Role | null> {
    return (await this.em.findOne(Customer, { email: normalizeEmail(emailInput) }, { fields: ['role'] }))?.role ?? null;
  }

  async hasAdmin(): Promise<boolean> {
    return (await this.em.count(Customer, { role: Role.ADMIN })) > 0;
  }

  private sessionToken(customer: Customer): Promise<string> {
    return this.deps.tokens.sign({ customerId: customer.id, role: customer.role, tokenVersion: customer.tokenVersion });
  }

  /**
   * Re-made with the current parameters now that the password is known. The
   * write is conditional on the old hash, so it never overwrites a password
   * set meanwhile (ensureAdmin at a restart).
   */
  private async upgradeHash(customer: Customer, password: string): Promise<void> {
    const upgraded = await hashPassword(password);
    await this.em.nativeUpdate(Customer, { id: customer.id, passwordHash: customer.passwordHash }, { passwordHash: upgraded });
  }
}
