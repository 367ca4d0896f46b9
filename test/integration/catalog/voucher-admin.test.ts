import { Voucher, VoucherKind } from '../../../src/entities';
import { buildVoucher } from '../../factories/catalog.factory';
import { CREATE_VOUCHER, useAdminSuite, VOUCHER } from './catalog-operations';

describe('admin vouchers', () => {
  const suite = useAdminSuite();

  const create = (input: Record<string, unknown>) => suite.app.gql(CREATE_VOUCHER, { input }, { token: suite.admin });

  it('when an admin creates a voucher with a lower-case code, then it is stored upper-cased with every field', async () => {
    const result = await create({
      code: 'spring-24',
      kind: 'AMOUNT_OFF',
      value: 750,
      currency: 'EUR',
      maxRedemptions: 10,
      perCustomerLimit: 1,
      startsAt: '2030-03-01T00:00:00.000Z',
      endsAt: '2030-06-01T00:00:00.000Z',
      minSubtotal: 5_000,
    });

    expect(result.errors).toBeUndefined();
    expect(result.data.createVoucher).toMatchObject({
      code: 'SPRING-24',
      kind: 'AMOUNT_OFF',
      value: 750,
      currency: 'EUR',
      maxRedemptions: 10,
      perCustomerLimit: 1,
      timesRedeemed: 0,
      startsAt: '2030-03-01T00:00:00.000Z',
      endsAt: '2030-06-01T00:00:00.000Z',
      minSubtotal: 5_000,
    });
    const stored = await suite.app.orm.em.fork().findOneOrFail(Voucher, { code: 'SPRING-24' });
    expect([stored.value, stored.startsAt?.toISOString()]).toEqual([750, '2030-03-01T00:00:00.000Z']);
  });

  it.each([
    ['PERCENT_OFF above 100%', { kind: 'PERCENT_OFF', value: 10_001 }, 'value'],
    ['PERCENT_OFF of zero', { kind: 'PERCENT_OFF', value: 0 }, 'value'],
    ['AMOUNT_OFF without currency', { kind: 'AMOUNT_OFF', value: 500 }, 'currency'],
    ['AMOUNT_OFF of zero', { kind: 'AMOUNT_OFF', value: 0, currency: 'EUR' }, 'value'],
    ['CREDIT without currency', { kind: 'CREDIT', value: 2_500 }, 'currency'],
    ['lower-case currency', { kind: 'CREDIT', value: 2_500, currency: 'eur' }, 'currency'],
    ['startsAt after endsAt', { kind: 'FREE_SHIPPING', value: 0, startsAt: '2030-02-01T00:00:00Z', endsAt: '2030-01-01T00:00:00Z' }, 'endsAt'],
    ['maxRedemptions of zero', { kind: 'FREE_SHIPPING', value: 0, maxRedemptions: 0 }, 'maxRedemptions'],
    ['perCustomerLimit of zero', { kind: 'FREE_SHIPPING', value: 0, perCustomerLimit: 0 }, 'perCustomerLimit'],
    ['negative value', { kind: 'FREE_SHIPPING', value: -1 }, 'value'],
    ['spaces in the code', { kind: 'FREE_SHIPPING', value: 0, code: 'TWO WORDS' }, 'code'],
  ])('when the voucher has %s, then createVoucher fails with VALIDATION_FAILED and writes nothing', async (_case, input, field) => {
    const result = await create({ code: 'RULES', ...input });

    expect(result.data).toBeNull();
    const extensions = result.errors![0].extensions!;
    expect(extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'VALIDATION_FAILED' });
    expect(extensions.fields.map((f: { field: string }) => f.field)).toEqual([field]);
    expect(await suite.app.orm.em.fork().count(Voucher, {})).toBe(0);
  });

  it('when FREE_SHIPPING has value 0 and PERCENT_OFF has 10000, then both are accepted', async () => {
    expect((await create({ code: 'SHIPFREE', kind: 'FREE_SHIPPING', value: 0 })).data.createVoucher.kind).toBe('FREE_SHIPPING');
    expect((await create({ code: 'ALLFREE', kind: 'PERCENT_OFF', value: 10_000 })).data.createVoucher.value).toBe(10_000);
  });

  it('when the code exists in any letter case, then createVoucher fails on code', async () => {
    await buildVoucher(suite.app.orm.em.fork(), { code: 'TAKEN' });
    const result = await create({ code: 'taken', kind: 'PERCENT_OFF', value: 500 });
    expect(result.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errorCode: 'VALIDATION_FAILED', field: 'code' });
    expect(await suite.app.orm.em.fork().count(Voucher, {})).toBe(1);
  });

  it('when an admin looks a voucher up by code in any case, then timesRedeemed is its HELD + CONSUMED count', async () => {
    await buildVoucher(suite.app.orm.em.fork(), { code: 'COUNTED', kind: VoucherKind.CREDIT, value: 2_500, currency: 'EUR', redemptionCount: 3 });

    const found = await suite.app.gql(VOUCHER, { code: 'counted' }, { token: suite.admin });
    const missing = await suite.app.gql(VOUCHER, { code: 'NOPE' }, { token: suite.admin });
    const huge = await suite.app.gql(VOUCHER, { code: 'X'.repeat(100_000) }, { token: suite.admin });

    expect(found.data.voucher).toMatchObject({ code: 'COUNTED', kind: 'CREDIT', value: 2_500, currency: 'EUR', timesRedeemed: 3 });
    expect([missing.data.voucher, huge.errors, huge.data.voucher]).toEqual([null, undefined, null]);
  });

  it('when a customer or an anonymous caller asks for a voucher, then FORBIDDEN or UNAUTHENTICATED', async () => {
    await buildVoucher(suite.app.orm.em.fork(), { code: 'SECRET' });
    const customer = await suite.app.customer();
    const asCustomer = await suite.app.gql(VOUCHER, { code: 'SECRET' }, { token: customer.token });
    const anonymous = await suite.app.gql(VOUCHER, { code: 'SECRET' });
    expect([asCustomer.errors![0].extensions!.code, asCustomer.data?.voucher ?? null]).toEqual(['FORBIDDEN', null]);
    expect(anonymous.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  });
});
