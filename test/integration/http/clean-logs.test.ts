import { Customer, Payment, PaymentMethodKind } from '../../../src/entities';
import type { Orm } from '../../../src/db/orm';
import { logger } from '../../../src/services/shared/logger';
import { captureLogLines } from '../../support/log-capture';
import { postGraphQL } from '../../support/http-request';
import { startTestApp, type TestApp } from '../../support/test-app';
import { testDialect } from '../../support/test-database';

const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { __typename ... on UserError { errorCode field } } }`;

/** Makes the database itself refuse inserts of customers whose email starts with "refused-": a driver error on demand. */
async function refuseSomeCustomerInserts(orm: Orm): Promise<() => Promise<void>> {
  const connection = orm.em.fork().getConnection();
  if (testDialect() === 'postgresql') {
    await connection.execute(`create or replace function refuse_customer() returns trigger language plpgsql as $$
      begin if new.email like 'refused-%' then raise exception 'customer refused by test trigger'; end if; return new; end $$`);
    await connection.execute('create trigger refuse_customer before insert on customers for each row execute function refuse_customer()');
    return async () => {
      await connection.execute('drop trigger refuse_customer on customers');
      await connection.execute('drop function refuse_customer()');
    };
  }
  await connection.execute(`create trigger refuse_customer before insert on customers when new.email like 'refused-%'
    begin select raise(abort, 'customer refused by test trigger'); end`);
  return async () => {
    await connection.execute('drop trigger refuse_customer');
  };
}

describe('clean logs (issue 9)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  beforeEach(() => app.reset());
  afterAll(() => app.close());

  const customers = () => app.orm.em.fork().count(Customer, {});

  it('when a signUp email carries a NUL byte, then VALIDATION_FAILED names the field, 400, and no customer is written', async () => {
    const before = await customers();
    const response = await postGraphQL(app, { query: SIGN_UP, variables: { input: { email: 'nul\u0000@example.com', password: 'long-enough-pw' } } });
    expect(response.status).toBe(400);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', errorCode: 'VALIDATION_FAILED', field: 'email' }) }),
    ]);
    expect(await customers()).toBe(before);
  });

  it('when a control character comes inline, in a nested field or in a scalar argument, then it is refused the same way', async () => {
    const before = await customers();
    const inline = await app.gql(`mutation { signUp(input: { email: "esc\\u001b@example.com", password: "long-enough-pw" }) { __typename } }`);
    expect(inline.errors?.[0].extensions).toMatchObject({ errorCode: 'VALIDATION_FAILED', field: 'email' });
    const scalar = await app.gql('query($id: ID!) { cart(id: $id) { id } }', { id: 'abc\u0007' });
    expect(scalar.errors?.[0].extensions).toMatchObject({ errorCode: 'VALIDATION_FAILED', field: 'id' });
    const newline = await app.gql(SIGN_UP, { input: { email: 'line\nbreak@example.com', password: 'long-enough-pw' } });
    expect(newline.errors?.[0].extensions).toMatchObject({ errorCode: 'VALIDATION_FAILED', field: 'email' });
    expect(await customers()).toBe(before);
  });

  it('when the database refuses a signUp, then the internal error is logged with the statement shape and no password, hash or bearer token', async () => {
    const restore = await refuseSomeCustomerInserts(app.orm);
    const adminToken = await app.adminToken();
    const password = 'very-secret-password-1';
    let response: Awaited<ReturnType<TestApp['gql']>> | undefined;
    try {
      const lines = await captureLogLines(async () => {
        response = await app.gql(SIGN_UP, { input: { email: 'refused-ada@example.com', password } }, { token: adminToken });
      });
      expect(response!.errors?.[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      const internal = lines.map((line) => JSON.parse(line)).find((entry) => entry.event === 'graphql.internal_error');
      expect(internal.error.statement).toMatch(/^insert into .customers. \(.*\) values \((\?|NULL)(, (\?|NULL))*\)$/);
      expect(internal.error.reason).toContain('customer refused by test trigger');
      for (const line of lines) {
        expect(line).not.toContain('scrypt');
        expect(line).not.toContain(password);
        expect(line).not.toContain('refused-ada@example.com');
        expect(line).not.toContain(adminToken);
      }
    } finally {
      await restore();
    }
  });

  it('when a payment row write fails, then the logged driver error holds no client secret', async () => {
    const clientSecret = 'pi_3QaBcDeFgHiJkLmN0pQr_secret_TuVwXyZ0123456789';
    const em = app.orm.em.fork();
    const payment = em.create(Payment, {
      orderId: '5b2c1f9e-0d4a-4c3b-9e8f-7a6b5c4d3e2f',
      kind: PaymentMethodKind.CARD,
      amount: 1_000,
      currency: 'EUR',
      clientSecret,
    });
    await em.flush();
    // The same primary key again: a unique violation whose message inlines every value of the row.
    const again = app.orm.em.fork();
    again.create(Payment, { id: payment.id, orderId: payment.orderId, kind: PaymentMethodKind.CARD, amount: 1_000, currency: 'EUR', clientSecret });
    const failure = await again.flush().then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toContain(clientSecret);

    const lines = await captureLogLines(async () => logger.error('payment.write_failed', { error: failure }));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]).error).toMatchObject({
      name: 'UniqueConstraintViolationException',
      statement: expect.stringMatching(/^insert into .payments./),
    });
    expect(lines[0]).not.toContain(clientSecret);
    expect(lines[0]).not.toContain('_secret_');
  });
});
