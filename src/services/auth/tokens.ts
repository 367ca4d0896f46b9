import { jwtVerify, SignJWT } from 'jose';
import type { Role } from '../../entities';

export interface Viewer {
  customerId: string;
  role: Role;
}

const ISSUER = 'tillgate';
const TOKEN_LIFETIME = '7d';

/** Bearer tokens: HS256 JWTs carrying the customer id and role, expiring after a week. */
export class TokenService {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  sign(viewer: Viewer): Promise<string> {
    return new SignJWT({ role: viewer.role })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(viewer.customerId)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(TOKEN_LIFETIME)
      .sign(this.key);
  }

  /** The viewer, or null for a bad, expired or foreign token (never throws). */
  async verify(token: string): Promise<Viewer | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || (payload.role !== 'CUSTOMER' && payload.role !== 'ADMIN')) return null;
      return { customerId: payload.sub, role: payload.role as Role };
    } catch {
      return null;
    }
  }
}
