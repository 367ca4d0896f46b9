import { Role } from '../../../src/entities';
import { TokenService } from '../../../src/services/auth/tokens';

/** Bearer tokens: the signature's answer is kept per token text, and a kept answer still expires with its token. */
describe('token verification', () => {
  const claims = { customerId: 'c-1', role: Role.CUSTOMER, tokenVersion: 3 };
  let now = Date.now();
  const tokens = () => new TokenService('a-secret-long-enough-for-hs256-tests', () => now);

  beforeEach(() => {
    now = Date.now();
  });

  it('when the same token is checked again, then it answers the same claims, and after its expiry it answers null even though it was kept', async () => {
    const service = tokens();
    const token = await service.sign(claims, 60);

    expect(await service.verify(token)).toEqual(claims);
    expect(await service.verify(token)).toEqual(claims);
    now += 61_000;
    expect(await service.verify(token)).toBeNull();
  });

  it('when a kept token is altered, or signed with another secret, then it is refused', async () => {
    const service = tokens();
    const token = await service.sign(claims);
    await service.verify(token);
    const [header, payload, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'ADMIN' })).toString('base64url');

    expect(await service.verify(`${header}.${forged}.${signature}`)).toBeNull();
    expect(await service.verify(`${token}x`)).toBeNull();
    expect(await new TokenService('another-secret-long-enough-for-tests', () => now).verify(token)).toBeNull();
  });
});
