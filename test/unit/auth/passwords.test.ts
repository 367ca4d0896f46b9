import {
  dummyHash,
  hashPassword,
  needsRehash,
  PASSWORD_COST,
  passwordCost,
  usePasswordCostForTests,
  verifyPassword,
} from '../../../src/services/auth/passwords';
import { TEST_PASSWORD_COST } from '../../support/test-password-cost';

describe('password hashing', () => {
  afterEach(() => usePasswordCostForTests(TEST_PASSWORD_COST));

  it("when nothing lowers it, then the cost is OWASP's scrypt N=2^17, r=8, p=1, stored with the hash, and such a hash verifies", async () => {
    expect(PASSWORD_COST).toEqual({ N: 131_072, r: 8, p: 1 });
    usePasswordCostForTests(null);
    expect(passwordCost()).toEqual(PASSWORD_COST);
    // 128 MiB of scrypt memory: above Node's 32 MiB default, so this proves maxmem is passed.
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false);
    expect(needsRehash(stored)).toBe(false);
    expect(dummyHash()).toMatch(/^scrypt\$131072\$8\$1\$/);
  });

  it('when a hash was made with other parameters, then it still verifies and is marked for re-hashing', async () => {
    const old = await hashPassword('an older password', { N: 2 ** 14, r: 8, p: 1 });
    expect(old.startsWith('scrypt$16384$8$1$')).toBe(true);
    expect(await verifyPassword('an older password', old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(await hashPassword('an older password'))).toBe(false);
  });

  it('when a stored hash is damaged or asks for absurd parameters, then it never verifies and nothing huge is allocated', async () => {
    const good = await hashPassword('pw-123456');
    const [, , r, p, salt, key] = good.split('$');
    for (const stored of [
      '',
      'bcrypt$x',
      `scrypt$1048577$${r}$${p}$${salt}$${key}`,
      `scrypt$${2 ** 24}$${r}$${p}$${salt}$${key}`,
      `scrypt$1024$0$${p}$${salt}$${key}`,
      `scrypt$1024$${r}$99$${salt}$${key}`,
      `scrypt$1024$${r}$${p}$${salt}$`,
    ]) {
      expect({ stored, valid: await verifyPassword('pw-123456', stored) }).toEqual({ stored, valid: false });
    }
  });

  it('when the cost is lowered outside the test suite, then it is refused', () => {
    const worker = process.env.JEST_WORKER_ID;
    delete process.env.JEST_WORKER_ID;
    try {
      expect(() => usePasswordCostForTests({ N: 2, r: 1, p: 1 })).toThrow(/test suite only/);
    } finally {
      process.env.JEST_WORKER_ID = worker;
    }
  });
});
