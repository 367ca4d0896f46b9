import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '../../db/orm';
import { Customer, Role } from '../../entities';
import { ErrorCode } from '../shared/error-code';
import { fail, success, type Outcome } from '../shared/outcome';
import { DUMMY_HASH, hashPassword, verifyPassword } from './passwords';
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

export class AuthService {
  constructor(private readonly em: EntityManager, private readonly tokens: TokenService) {}

  async signUp(input: Credentials): Promise<Outcome<Session>> {
    const email = normalizeEmail(input.email);
    if (!EMAIL.test(email)) return fail(ErrorCode.VALIDATION_FAILED, 'Enter a valid email address.', 'email');
    if (input.password.length < MIN_PASSWORD_LENGTH) {
      return fail(ErrorCode.VALIDATION_FAILED, `Passwords need at least ${MIN_PASSWORD_LENGTH} characters.`, 'password');
    }
    const customer = this.em.create(Customer, { email, passwordHash: await hashPassword(input.password), role: Role.CUSTOMER });
    try {
      await this.em.persistAndFlush(customer);
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        return fail(ErrorCode.EMAIL_TAKEN, 'An account with this email already exists.', 'email');
      }
      throw error;
    }
    return success({ token: await this.tokens.sign({ customerId: customer.id, role: customer.role }), customer });
  }

  async logIn(input: Credentials): Promise<Outcome<Session>> {
    const customer = await this.em.findOne(Customer, { email: normalizeEmail(input.email) });
    const valid = await verifyPassword(input.password, customer?.passwordHash ?? DUMMY_HASH);
    if (!customer || !valid) return fail(ErrorCode.INVALID_CREDENTIALS, 'Email or password is wrong.');
    return success({ token: await this.tokens.sign({ customerId: customer.id, role: customer.role }), customer });
  }

  /** Creates the configured admin, or resets its password and role to the configured ones. */
  async ensureAdmin(emailInput: string, password: string): Promise<Customer> {
    const email = normalizeEmail(emailInput);
    const passwordHash = await hashPassword(password);
    const existing = await this.em.findOne(Customer, { email });
    const admin = existing ?? this.em.create(Customer, { email, passwordHash, role: Role.ADMIN });
    admin.passwordHash = passwordHash;
    admin.role = Role.ADMIN;
    await this.em.persistAndFlush(admin);
    return admin;
  }
}
