import { createHash } from 'node:crypto';
import type { RateLimitSettings, RateRule } from '../../config';
import type { RateLimitStore } from '../../db/stores/rate-limit-store';
import type { UnitOfWork } from '../../db/unit-of-work';
import { normalizeEmail } from '../../services/auth/auth.service';
import { ErrorCode } from '../../services/shared/error-code';
import { isId } from '../../services/shared/ids';
import { logger } from '../../services/shared/logger';
import { fail, success, type Outcome } from '../../services/shared/outcome';
import { counterFactory, type Counter, type Take } from './counters';
import { RateLimitedError } from './rate-limited.error';
import { rateLimited } from '../../observability/metrics';

/**
 * What the resolvers call: each guard wraps one attempt and throws
 * RateLimitedError instead of running it when a limit is spent. Every alias
 * and every batched operation is its own attempt, so one HTTP request of
 * 20 x 50 aliased logIns spends 1,000 attempts, not one.
 */
export interface RateLimitGuards {
  /**
   * Failures count per (email, IP), per IP, and per email from unfamiliar IPs; a point is taken before the
   * password hash and given back on success.
   */
  logIn<T>(email: string, attempt: () => Promise<Outcome<T>>): Promise<Outcome<T>>;
  signUp(): Promise<void>;
  /** applyVoucher and redeemVoucher: failures per IP and per signed-in customer. */
  voucherAttempt<T>(attempt: () => Promise<Outcome<T>>): Promise<Outcome<T>>;
  confirmCheckout<T>(cartId: string, attempt: () => Promise<Outcome<T>>): Promise<Outcome<T>>;
  createCart<T extends { id: string }>(create: () => Promise<T>): Promise<T>;
  addCartLine(cartId: string): Promise<void>;
  /** verifyLicense: look-ups of unknown keys per IP (a known key gives its point back), so keys cannot be fished for. */
  licenseCheck<T>(attempt: () => Promise<{ known: boolean; answer: T }>): Promise<T>;
}

/** RATE_LIMITS=off: every attempt goes through untouched. */
export const UNLIMITED: RateLimitGuards = {
  logIn: (_email, attempt) => attempt(),
  signUp: async () => undefined,
  voucherAttempt: (attempt) => attempt(),
  confirmCheckout: (_cartId, attempt) => attempt(),
  createCart: (create) => create(),
  addCartLine: async () => undefined,
  licenseCheck: async (attempt) => (await attempt()).answer,
};

/** Each lockout of an (email, address) pair within this long doubles the next one... */
const LOCKOUT_MEMORY_MS = 24 * 3_600_000;
/** ...up to this. */
const MAX_LOCKOUT_MS = 24 * 3_600_000;
/** How long an address an email logged in from stays past that email's ceiling (from its first success there). */
const KNOWN_ADDRESS_MS = 30 * 24 * 3_600_000;
/** A confirm is never this slow; the lock of one whose process died frees itself after it. */
const IN_FLIGHT_TTL_MS = 5 * 60_000;
/** A confirm in flight ends in seconds: the other one may come back soon. */
const IN_FLIGHT_RETRY_MS = 1_000;

/** The process-wide counters, one per limit that is on, and the store they count in. */
export interface Limits {
  store: RateLimitStore;
  /** The lockout: failures of one email from one address. */
  loginEmailIp: Counter | null;
  /** The ceiling: failures of one email from every address it has not logged in from lately. */
  loginEmail: Counter | null;
  loginLockouts: Counter;
  /** (email, address) pairs that logged in: past the ceiling. */
  knownLogins: Counter;
  loginIp: Counter | null;
  signUpIp: Counter | null;
  voucherFailures: Counter | null;
  checkoutDeclines: Counter | null;
  checkoutInFlight: Counter | null;
  cartsIp: Counter | null;
  cartTouches: Counter;
  licenseMissesIp: Counter | null;
  /** Every request to /graphql per address (request-rate.ts), before its body is read. */
  graphqlRequestsIp: Counter | null;
}

export function createLimits(settings: RateLimitSettings, store: RateLimitStore): Limits {
  const counter = counterFactory(store);
  const ruled = (name: string, rule: RateRule | null) => (rule ? counter(name, rule.points, rule.durationMs) : null);
  return {
    store,
    loginEmailIp: ruled('login-email-ip', settings.loginEmailIp),
    loginEmail: ruled('login-email', settings.loginEmail),
    loginLockouts: counter('login-lockouts', Number.MAX_SAFE_INTEGER, LOCKOUT_MEMORY_MS),
    knownLogins: counter('login-known', Number.MAX_SAFE_INTEGER, KNOWN_ADDRESS_MS),
    loginIp: ruled('login-ip', settings.loginIp),
    signUpIp: ruled('signup-ip', settings.signUpIp),
    voucherFailures: ruled('voucher-failures', settings.voucherFailures),
    checkoutDeclines: ruled('checkout-declines', settings.checkoutDeclines),
    checkoutInFlight: settings.checkoutOneInFlight ? counter('checkout-in-flight', 1, IN_FLIGHT_TTL_MS) : null,
    cartsIp: ruled('carts-ip', settings.cartsIp),
    // Which carts an IP has counted this window, so that lines added to the same cart count it once.
    cartTouches: counter('cart-touches', Number.MAX_SAFE_INTEGER, settings.cartsIp?.durationMs ?? 3_600_000),
    licenseMissesIp: ruled('license-misses-ip', settings.licenseMissesIp),
    graphqlRequestsIp: ruled('graphql-ip', settings.graphqlRequestsIp),
  };
}

/** Emails are counted by digest: no address in the table, and a fixed key length whatever was sent. */
const emailKey = (email: string) => `email:${createHash('sha256').update(normalizeEmail(email)).digest('base64url').slice(0, 32)}`;

type Entry = [Counter, string];

export interface RequestParty {
  /** clientAddressKey of the request. */
  client: string;
  customerId: string | null;
  /** The request's own reads (the cart a checkout is for), outside any transaction. */
  uow: UnitOfWork;
}

/**
 * The guards for one HTTP request. A key refused once in the request is
 * refused again from memory, so the other 999 aliases of a refused batch
 * cost no round trip to the store.
 */
export class RequestRateLimits implements RateLimitGuards {
  private readonly refusedUntil = new Map<string, number>();
  private readonly knownPairs = new Map<string, Promise<boolean>>();
  private readonly ip: string;

  constructor(
    private readonly limits: Limits,
    private readonly party: RequestParty,
  ) {
    this.ip = `ip:${party.client}`;
  }

  /**
   * The lockout is per (email, address): a stranger's failures lock the email
   * at the stranger's address only, so nobody can lock its owner out from
   * afar. A guess spread over many addresses meets the per-email ceiling,
   * which holds back every address except those the email logged in from
   * lately; the per-address limit holds on its own, whatever the emails.
   */
  async logIn<T>(email: string, attempt: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
    const { loginEmailIp, loginEmail, loginIp, knownLogins, loginLockouts } = this.limits;
    const byEmail = emailKey(email);
    const pair = `${byEmail}:${this.ip}`;
    const familiar = loginEmail !== null && (await this.familiar(pair));
    const pairEntries = entriesOf(loginEmailIp, pair);
    const others = [...entriesOf(loginIp, this.ip), ...(familiar ? [] : entriesOf(loginEmail, byEmail))];
    const takes = await this.takeAll([...pairEntries, ...others], 'giveBack');
    // A throw (an infrastructure fault) keeps the points: the password hash may have been done.
    const outcome = await attempt();
    if (outcome.ok) {
      // The right password from this address: the pair's failures and lockouts were its owner's. The
      // address and the email keep theirs (only this attempt's point comes back), or a guesser who
      // also holds an account could wipe them with a logIn of their own between guesses.
      await this.quietly('log_in', [
        ...others.map(([counter, key]) => counter.giveBack(key)),
        ...(loginEmailIp ? [loginEmailIp.clear(pair), loginLockouts.clear(pair)] : []),
        ...(loginEmail ? [knownLogins.add(pair)] : []),
      ]);
      return outcome;
    }
    const pairTake = loginEmailIp ? takes[0] : null;
    // Exactly one attempt takes a pair's last point; when that one fails too, the pair is locked out.
    if (loginEmailIp && pairTake?.allowed && pairTake.remaining === 0) await this.quietly('lock_out', [this.lockOut(loginEmailIp, pair)]);
    return outcome;
  }

  async signUp(): Promise<void> {
    await this.takeAll(entriesOf(this.limits.signUpIp, this.ip), 'giveBack');
  }

  async voucherAttempt<T>(attempt: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
    const customer = this.party.customerId ? `customer:${this.party.customerId}` : null;
    return this.countFailures(entriesOf(this.limits.voucherFailures, this.ip, customer), attempt);
  }

  async confirmCheckout<T>(cartId: string, attempt: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
    const { checkoutDeclines, checkoutInFlight } = this.limits;
    if (!checkoutDeclines && !checkoutInFlight) return attempt();
    const owner = await this.cartOwner(cartId);
    if (checkoutDeclines && owner) {
      const declines = await checkoutDeclines.read(owner);
      if (declines && declines.consumed >= checkoutDeclines.points) throw this.refuse(checkoutDeclines, owner, declines.msLeft);
    }
    const locks = entriesOf(checkoutInFlight, this.ip, owner);
    await this.takeAll(locks, 'clear', IN_FLIGHT_RETRY_MS);
    let outcome: Outcome<T>;
    try {
      outcome = await attempt();
    } finally {
      // Never fail a placed order's answer over a lock: an unreleased one frees itself after IN_FLIGHT_TTL_MS.
      await this.quietly(
        'release',
        locks.map(([counter, key]) => counter.clear(key)),
      );
    }
    if (checkoutDeclines && owner && !outcome.ok && outcome.failure.code === ErrorCode.PAYMENT_DECLINED) {
      await this.quietly('count_decline', [checkoutDeclines.add(owner)]);
    }
    return outcome;
  }

  async createCart<T extends { id: string }>(create: () => Promise<T>): Promise<T> {
    const { cartsIp, cartTouches } = this.limits;
    if (!cartsIp) return create();
    await this.takeAll(entriesOf(cartsIp, this.ip), 'giveBack');
    const cart = await create();
    // Counted now: the lines this IP adds to it next are not a second cart.
    await this.quietly('mark_cart', [cartTouches.add(this.touchKey(cart.id))]);
    return cart;
  }

  async addCartLine(cartId: string): Promise<void> {
    const { cartsIp, cartTouches } = this.limits;
    // A malformed id is answered NOT_FOUND before any SQL; there is no cart to count.
    if (!cartsIp || !isId(cartId)) return;
    const touch = this.touchKey(cartId);
    if ((await cartTouches.add(touch)) > 1) return;
    try {
      await this.takeAll(entriesOf(cartsIp, this.ip), 'giveBack');
    } catch (refusal) {
      // Not counted, so not marked: the next line for this cart must be charged again.
      await this.quietly('unmark_cart', [cartTouches.clear(touch)]);
      throw refusal;
    }
  }

  async licenseCheck<T>(attempt: () => Promise<{ known: boolean; answer: T }>): Promise<T> {
    let answer: T | undefined;
    await this.countFailures(entriesOf(this.limits.licenseMissesIp, this.ip), async () => {
      const checked = await attempt();
      answer = checked.answer;
      // A key that exists gives its point back: only misses count.
      return checked.known ? success(null) : fail(ErrorCode.NOT_FOUND, 'unknown license key');
    });
    return answer as T;
  }

  /** Whether the email has logged in from this address lately; asked once per request (a batch of aliases shares it). */
  private familiar(pair: string): Promise<boolean> {
    let known = this.knownPairs.get(pair);
    if (!known) {
      known = this.limits.knownLogins.read(pair).then((reading) => reading !== null);
      this.knownPairs.set(pair, known);
    }
    return known;
  }

  private touchKey(cartId: string): string {
    return `${this.ip}:cart:${cartId}`;
  }

  /** Whose cart it is: the signed-in customer, else the cart's customer or guest email; null when there is no such cart. */
  private async cartOwner(cartId: string): Promise<string | null> {
    if (this.party.customerId) return `customer:${this.party.customerId}`;
    if (!isId(cartId)) return null;
    const cart = await this.limits.store.cartOwner(this.party.uow, cartId);
    if (!cart) return null;
    if (cart.customerId) return `customer:${cart.customerId}`;
    return cart.email ? emailKey(cart.email) : `cart:${cartId}`;
  }

  /** The lockout after a pair's last failure: the window's length, doubled for each earlier lockout in a day. */
  private async lockOut(counter: Counter, key: string): Promise<void> {
    const lockouts = await this.limits.loginLockouts.add(key);
    await counter.block(key, Math.min(counter.durationMs * 2 ** (lockouts - 1), MAX_LOCKOUT_MS));
  }

  /**
   * A point is taken from each entry before the attempt (so concurrent aliases
   * cannot all slip in before the first failure is counted) and given back if
   * it succeeds: only failures stay counted.
   */
  private async countFailures<T>(entries: Entry[], attempt: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
    await this.takeAll(entries, 'giveBack');
    // A throw (an infrastructure fault) keeps the points: the work may have been done.
    const outcome = await attempt();
    if (outcome.ok)
      await this.quietly(
        'give_back',
        entries.map(([counter, key]) => counter.giveBack(key)),
      );
    return outcome;
  }

  /** Takes a point from each entry; if any is refused, undoes the others and throws. */
  private async takeAll(entries: Entry[], undo: 'giveBack' | 'clear', retryAfterMs?: number): Promise<Take[]> {
    const takes = await Promise.all(entries.map(([counter, key]) => this.take(counter, key)));
    const refused = takes.flatMap((take) => (take.allowed ? [] : [take.retryAfterMs]));
    if (refused.length === 0) return takes;
    await this.quietly(
      undo,
      entries.filter((_, index) => takes[index].allowed).map(([counter, key]) => counter[undo](key)),
    );
    throw new RateLimitedError(retryAfterMs ?? Math.max(...refused));
  }

  private async take(counter: Counter, key: string): Promise<Take> {
    const remembered = `${counter.name} ${key}`;
    const until = this.refusedUntil.get(remembered);
    if (until !== undefined && until > Date.now()) {
      rateLimited.inc({ limit: counter.name });
      return { allowed: false, retryAfterMs: until - Date.now() };
    }
    const take = await counter.take(key);
    if (!take.allowed) this.remember(counter, key, take.retryAfterMs);
    return take;
  }

  private refuse(counter: Counter, key: string, retryAfterMs: number): RateLimitedError {
    this.remember(counter, key, retryAfterMs);
    return new RateLimitedError(retryAfterMs);
  }

  private remember(counter: Counter, key: string, retryAfterMs: number): void {
    this.refusedUntil.set(`${counter.name} ${key}`, Date.now() + retryAfterMs);
    rateLimited.inc({ limit: counter.name });
    logger.info('rate_limit.refused', { limit: counter.name, client: this.party.client });
  }

  /** Follow-up writes after the attempt ran: a store fault is logged, never turned into a failed answer. */
  private async quietly(action: string, writes: Promise<unknown>[]): Promise<void> {
    for (const result of await Promise.allSettled(writes)) {
      if (result.status === 'rejected') logger.error('rate_limit.store_failed', { action, error: result.reason });
    }
  }
}

/** The counter's entries for the keys there are; none when its limit is off. */
function entriesOf(counter: Counter | null, ...keys: (string | null)[]): Entry[] {
  return counter ? keys.flatMap((key): Entry[] => (key === null ? [] : [[counter, key]])) : [];
}
