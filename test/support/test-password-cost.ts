import { usePasswordCostForTests } from '../../src/services/auth/passwords';

/**
 * A Jest setup file: the suite signs up customers in nearly every test, and the
 * production scrypt cost (N=2^17: 128 MiB and ~0.3 s a hash) would make it many
 * times slower. The production parameters and the upgrade of older hashes are
 * tested explicitly (test/integration/auth/passwords.test.ts), with this undone.
 */
export const TEST_PASSWORD_COST = Object.freeze({ N: 2 ** 10, r: 8, p: 1 });

usePasswordCostForTests(TEST_PASSWORD_COST);
