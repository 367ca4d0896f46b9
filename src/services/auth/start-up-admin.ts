import { randomBytes } from 'node:crypto';
import type { Config } from '../../config';
import type { EntityManager } from '../../db/orm';
import { Role } from '../../entities';
import { logger } from '../shared/logger';
import { AuthService, type AuthDeps } from './auth.service';

export const DEFAULT_ADMIN_EMAIL = 'admin@tillgate.local';

/** How an operator adds an admin (or resets one's password) without ADMIN_PASSWORD. */
export const ADMIN_COMMAND = 'npm run admin -- --email';

/** What a start did about the admin account; the banner says it (main.ts). */
export type StartUpAdmin =
  /** ADMIN_PASSWORD: the account is ensured with it, as at every start. */
  | { kind: 'configured'; email: string }
  /** Development, first start: created with this generated password, shown this once and never stored in plain text. */
  | { kind: 'created'; email: string; password: string }
  /** Development, a later start: the account is left as it is (its password was shown when it was created). */
  | { kind: 'kept'; email: string; role: Role }
  /** Production without ADMIN_PASSWORD: whether any admin exists; none is ever created here. */
  | { kind: 'present' }
  | { kind: 'missing' };

/**
 * The admin account at start. A password printed to stdout lands in log
 * collectors, so production never generates one: without ADMIN_PASSWORD an
 * operator creates the admin with `npm run admin`. In development the account
 * is created once with a generated password, which later starts leave alone.
 */
export async function prepareStartUpAdmin(
  config: Pick<Config, 'production' | 'adminEmail' | 'adminPassword'>,
  em: EntityManager,
  deps: AuthDeps,
): Promise<StartUpAdmin> {
  const auth = new AuthService(em, deps);
  const email = config.adminEmail ?? DEFAULT_ADMIN_EMAIL;
  if (config.adminPassword) {
    await auth.ensureAdmin(email, config.adminPassword);
    return { kind: 'configured', email };
  }
  if (config.production) {
    if (await auth.hasAdmin()) return { kind: 'present' };
    logger.warn('admin.missing', {
      effect: 'nobody can sign in to /ops or run admin mutations',
      fix: `${ADMIN_COMMAND} <email> (reads the password from stdin), or set ADMIN_PASSWORD`,
    });
    return { kind: 'missing' };
  }
  const password = randomBytes(12).toString('base64url');
  if (await auth.createAdminIfMissing(email, password)) return { kind: 'created', email, password };
  return { kind: 'kept', email, role: (await auth.roleOf(email)) ?? Role.ADMIN };
}

/** The banner's admin line (after `Admin`). */
export function describeStartUpAdmin(admin: StartUpAdmin): string {
  switch (admin.kind) {
    case 'configured':
      return admin.email;
    case 'created':
      return `${admin.email}  one-time dev password: ${admin.password} (shown this once; set ADMIN_PASSWORD, or \`${ADMIN_COMMAND} ${admin.email}\`, to choose one)`;
    case 'kept':
      return admin.role === Role.ADMIN
        ? `${admin.email} (its password was shown at the first start; \`${ADMIN_COMMAND} ${admin.email}\` sets a new one)`
        : `${admin.email} is an account but not an admin: \`${ADMIN_COMMAND} ${admin.email}\` makes it one`;
    case 'present':
      return `set up (\`${ADMIN_COMMAND} <email>\` adds one or sets a new password)`;
    case 'missing':
      return `none yet: create one with \`${ADMIN_COMMAND} you@example.com\` (reads the password from stdin), or set ADMIN_PASSWORD`;
  }
}
