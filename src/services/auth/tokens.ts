import { createHmac } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { Role } from '../../entities';
import { LruMap } from '../shared/lru-map';

export interface Viewer {
  customerId: string;
  role: Role;
}

/** What a token says: who, and the customer's token version when it was signed (Customer.tokenVersion). */
export interface TokenClaims extends Viewer {
  tokenVersion: number;
}

const ISSUER = 'tillgate';
/** Tokens whose signature this process has checked: at a few hundred bytes each, a few MB when full. */
const VERIFIED_TOKENS = 10_000;
const TOKEN_LIFETIME_SECONDS = 7 * 86_400;

/**
 * Bearer tokens: HS256 JWTs carrying the customer id, role and token version,
 * expiring after a week. A valid signature is not enough: AuthService.authenticate
 * also compares the version with the customer's current one.
 */
export class TokenService {
  private readonly key: Uint8Array;
  /**
   * What a token's signature said, by the token's exact text, until it expires:
   * every request of a signed-in buyer carries the same token, and its HMAC
   * and JSON only ever give the same answer. Expiry is still checked on each
   * use, and revocation is the token version's (AuthService), never this memo's.
   */
  private readonly verified = new LruMap<string, { claims: TokenClaims; expiresAtMs: number }>(VERIFIED_TOKENS);

  constructor(
    secret: string,
    private readonly now: () => number = Date.now,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  /** A week by default; a shorter-lived session (the /ops cookie) names its own lifetime. */
  sign(claims: TokenClaims, lifetimeSeconds: number = TOKEN_LIFETIME_SECONDS): Promise<string> {
    return new SignJWT({ role: claims.role, ver: claims.tokenVersion })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.customerId)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(`${lifetimeSeconds}s`)
      .sign(this.key);
  }

  /**
   * HMAC-SHA256 under the signing key, for capabilities that need no storage
   * (order tokens). `purpose` is mixed in first, so a MAC made for one use is
   * never valid for another.
   */
  mac(purpose: string, message: string): Buffer {
    return createHmac('sha256', this.key).update(purpose).update('\0').update(message).digest();
  }

  /** The claims, or null for a bad, expired or foreign token (never throws). */
  async verify(token: string): Promise<TokenClaims | null> {
    const known = this.verified.get(token);
    if (known) {
      if (this.now() < known.expiresAtMs) return known.claims;
      this.verified.delete(token);
    }
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'], currentDate: new Date(this.now()) });
      if (typeof payload.sub !== 'string' || (payload.role !== 'CUSTOMER' && payload.role !== 'ADMIN')) return null;
      // Tokens signed before versions existed carry none: they are version 0, every customer's first.
      const tokenVersion = payload.ver ?? 0;
      if (!Number.isSafeInteger(tokenVersion)) return null;
      const claims = Object.freeze({ customerId: payload.sub, role: payload.role as Role, tokenVersion: tokenVersion as number });
      if (typeof payload.exp === 'number') this.verified.set(token, { claims, expiresAtMs: payload.exp * 1000 });
      return claims;
    } catch {
      return null;
    }
  }
}
