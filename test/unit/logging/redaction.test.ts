import { GraphQLError } from 'graphql';
import { DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { isRedactedField, REDACTED, redactForLog, statementShape } from '../../../src/services/shared/redaction';

const HASH = 'scrypt$131072$8$1$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlc2lnbmF0dXJl';
const CLIENT_SECRET = 'pi_3PqRsT2eZvKYlo2C0abc_secret_XyZ123abcDEF';

/** A driver error as MikroORM builds it: knex's `<sql with values> - <driver message>`, plus the driver's fields. */
function driverError(Class: new (previous: Error) => DriverException, message: string, fields: Record<string, unknown> = {}): DriverException {
  return new Class(Object.assign(new Error(message), fields));
}

describe('log redaction', () => {
  it('when a field is named like a credential or an access key, then its value is replaced whatever the case or separator', () => {
    for (const name of [
      'token',
      'password',
      'passwordHash',
      'password_hash',
      'clientSecret',
      'client_secret',
      'Authorization',
      'x-api-key',
      'X-Api-Key',
      'cartId',
      'cart_id',
      'orderToken',
      'webhookSecret',
    ]) {
      expect({ name, redacted: isRedactedField(name) }).toEqual({ name, redacted: true });
    }
    for (const name of ['orderId', 'tokenVersion', 'email', 'amount', 'idempotencyKey']) {
      expect({ name, redacted: isRedactedField(name) }).toEqual({ name, redacted: false });
    }
    const line = redactForLog({
      orderId: 'o-1',
      nested: { headers: { authorization: `Bearer ${JWT}`, 'x-api-key': 'partner-key-1' } },
      list: [{ password: 'hunter22' }],
    });
    expect(line).toEqual({ orderId: 'o-1', nested: { headers: { authorization: REDACTED, 'x-api-key': REDACTED } }, list: [{ password: REDACTED }] });
  });

  it('when a secret is pasted into free text, then its shape gives it away and it is masked', () => {
    const text = `failed with Bearer abc.def-ghi, token ${JWT}, hash ${HASH}, secret ${CLIENT_SECRET}, key sk_test_51Habc and whsec_abc123`;
    const masked = JSON.stringify(redactForLog({ message: text }));
    for (const secret of ['abc.def-ghi', JWT, HASH, CLIENT_SECRET, 'sk_test_51Habc', 'whsec_abc123']) expect(masked).not.toContain(secret);
    expect(masked).toContain('failed with Bearer [redacted]');
  });

  it('when a partner key is pasted into free text, then its secret is masked and its prefix, which names the key, stays', () => {
    const secret = 'Q2hhbmdlZC1ieS1hLXRlc3QtdG8tYmUtbG9uZy1lbm91Z2g';
    const masked = JSON.stringify(redactForLog({ message: `key tgk_AbC-dEf_1234.${secret} refused` }));
    expect(masked).not.toContain(secret);
    expect(masked).toContain('key tgk_AbC-dEf_1234.[redacted] refused');
  });

  it('when a redacted value repeats under another name, then it is masked there too (an event aggregate that is a cart id)', () => {
    const cartId = '0b6f7d1e-8c1a-4f57-9a55-3b8e0d2c9f10';
    const line = redactForLog({ aggregateId: cartId, payload: { cartId, orderId: null, note: `cart ${cartId} released` } });
    expect(JSON.stringify(line)).not.toContain(cartId);
    expect(line).toMatchObject({ aggregateId: REDACTED, payload: { cartId: REDACTED, orderId: null, note: `cart ${REDACTED} released` } });
  });

  it('when a PostgreSQL unique violation is logged, then name, code, constraint, table and the statement shape remain and no value does', () => {
    const error = driverError(
      UniqueConstraintViolationException,
      `insert into "customers" ("id", "email", "password_hash", "created_at") values ('c-1', 'ada@example.com', '${HASH}', '2026-12-02T15:11:27.370Z') - duplicate key value violates unique constraint "customers_email_unique"`,
      {
        code: '23505',
        detail: 'Key (email)=(ada@example.com) already exists.',
        table: 'customers',
        constraint: 'customers_email_unique',
        severity: 'ERROR',
        routine: '_bt_check_unique',
      },
    );
    const logged = redactForLog({ error }) as { error: Record<string, unknown> };
    expect(logged.error).toMatchObject({
      name: 'UniqueConstraintViolationException',
      code: '23505',
      constraint: 'customers_email_unique',
      table: 'customers',
      statement: 'insert into "customers" ("id", "email", "password_hash", "created_at") values (?, ?, ?, ?)',
      reason: 'duplicate key value violates unique constraint "?"',
    });
    const text = JSON.stringify(logged);
    for (const value of ['ada@example.com', HASH, 'scrypt', 'c-1', '2026-12-02']) expect(text).not.toContain(value);
  });

  it('when libSQL cut a statement at a NUL byte and quotes the rest, then the unclosed literal is masked to the end', () => {
    const email = `${'x'.repeat(20)}\u0000@example.com`;
    const error = driverError(
      DriverException,
      `insert into \`customers\` (\`id\`, \`email\`, \`password_hash\`, \`created_at\`) values ('c-2', '${email}', '${HASH}', 1796224287129) - unrecognized token: "'${'x'.repeat(20)}"`,
      { code: 'SQLITE_ERROR', rawCode: 1 },
    );
    const logged = redactForLog({ error }) as { error: Record<string, unknown> };
    expect(logged.error).toMatchObject({
      name: 'DriverException',
      code: 'SQLITE_ERROR',
      statement: 'insert into `customers` (`id`, `email`, `password_hash`, `created_at`) values (?, ?, ?, ?)',
    });
    const text = JSON.stringify(logged);
    for (const value of ['xxxxxxxxxx', HASH, '1796224287129', '\\u0000']) expect(text).not.toContain(value);
  });

  it('when a database error travels inside a GraphQLError or as a cause, then it is still described without values', () => {
    const driver = driverError(
      DriverException,
      `update "payments" set "client_secret" = '${CLIENT_SECRET}' where "id" = 'p-1' - value too long for type character varying(200)`,
      { code: '22001', severity: 'ERROR', routine: 'varchar' },
    );
    const wrapped = new GraphQLError(driver.message, { originalError: driver });
    const caused = new Error('payment write failed', { cause: driver });
    for (const error of [wrapped, caused]) {
      const text = JSON.stringify(redactForLog({ error }));
      expect(text).not.toContain('pi_3PqRsT2eZvKYlo2C0abc');
      expect(text).not.toContain("'p-1'");
      expect(text).toContain('update \\"payments\\" set \\"client_secret\\" = ? where \\"id\\" = ?');
    }
  });

  it('when a statement is shaped, then string, escaped and numeric literals become ? and identifiers stay', () => {
    expect(statementShape(`select "t0".* from "orders" as "t0" where "t0"."total" > 1500 and "t0"."note" = 'it''s' and x = E'a\\\\b' limit 1`)).toBe(
      `select "t0".* from "orders" as "t0" where "t0"."total" > ? and "t0"."note" = ? and x = ? limit ?`,
    );
    expect(statementShape("insert into `a` values ('x\\'y', -2.5)")).toBe('insert into `a` values (?, ?)');
  });

  it('when a line holds dates, circular references or entities with toJSON, then it still serializes', () => {
    const circular: Record<string, unknown> = { id: 'x' };
    circular.self = circular;
    const at = new Date('2026-01-01T00:00:00Z');
    expect(redactForLog({ at, circular, entity: { toJSON: () => ({ email: 'a@b.c' }) } })).toEqual({
      at: '2026-01-01T00:00:00.000Z',
      circular: { id: 'x', self: '[circular]' },
      entity: { email: 'a@b.c' },
    });
  });
});
