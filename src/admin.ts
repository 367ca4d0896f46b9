import './production-mode';
import 'reflect-metadata';
import { resolveAuthSecret } from './auth-secret';
import { PasswordInputError, readPassword } from './cli/read-password';
import { loadConfigOrExit } from './config';
import { requireMigratedSchema } from './db/migration-status';
import { accessChangesForOtherProcesses } from './db/access-changes';
import { migrate, openOrm } from './db/orm';
import { Role } from './entities';
import { AuthService, newCredentialsProblem, normalizeEmail, type AdminChange } from './services/auth/auth.service';
import { TokenService } from './services/auth/tokens';

const USAGE = 'Usage: npm run admin -- --email you@example.com   (the password is read from stdin)';

/** Exit code of a refused input (usage, a password sign-up would refuse), as for a bad configuration. */
const BAD_INPUT = 2;

class UsageError extends Error {
  override name = 'UsageError';
}

/** `--email you@example.com` or `--email=you@example.com`, and nothing else. */
function emailArgument(args: readonly string[]): string {
  const [first, second, ...rest] = args;
  if (first?.startsWith('--email=') && second === undefined) return first.slice('--email='.length);
  if (first === '--email' && second !== undefined && rest.length === 0) return second;
  throw new UsageError(USAGE);
}

/** One line on what happened; the password is never part of it. */
function describe(change: AdminChange): string {
  const { email } = change.customer;
  if (change.previousRole === null) return `Created the admin ${email}.`;
  const password = change.passwordReplaced ? 'its password is the one given now and its earlier sessions are ended' : 'its password was already this one';
  if (change.previousRole === Role.ADMIN) return `${email} was an admin already: ${password}.`;
  return `${email} was a customer account: it is an admin now, and ${password}.`;
}

/**
 * `npm run admin -- --email <email>`: creates an admin, or makes the account
 * with this email an admin with the given password (an operator who lost the
 * admin password resets it the same way). The password comes from stdin and
 * must meet sign-up's rules. Works on both dialects, beside a running
 * gateway: on PostgreSQL the customers trigger tells every gateway process, on
 * the embedded file the signal file does (src/db/access-changes.ts).
 */
async function main(): Promise<void> {
  const email = normalizeEmail(emailArgument(process.argv.slice(2)));
  const config = loadConfigOrExit();
  const password = await readPassword(`Password for ${email}: `);
  const problem = newCredentialsProblem({ email, password });
  if (problem) throw new UsageError(`${problem.message} Nothing was changed.`);
  const orm = await openOrm(config.database);
  try {
    // As the worker does: a fresh embedded file is migrated here; a PostgreSQL release runs `npm run migrate` first.
    if (config.migrateOnStart) await migrate(orm);
    else await requireMigratedSchema(orm);
    const deps = { tokens: new TokenService(resolveAuthSecret(config)), access: accessChangesForOtherProcesses(config.database) };
    const change = await new AuthService(orm.em.fork(), deps).ensureAdmin(email, password);
    console.log(describe(change));
  } finally {
    await orm.close(true);
  }
}

main().catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof PasswordInputError) {
    console.error(error.message);
    process.exitCode = BAD_INPUT;
    return;
  }
  console.error(`npm run admin failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
