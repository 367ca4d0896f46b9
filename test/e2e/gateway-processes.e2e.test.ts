import { execFile, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { LogInDocument, MeDocument } from '../../client/src';
import { freePort } from '../../tools/postgres-cluster';
import { CreatePartnerDocument, IssuePartnerKeyDocument, RevokePartnerKeyDocument } from '../generated/graphql';
import { exitOf, outputOf } from '../support/child-output';
import { spawnBuiltGateway } from '../support/built-gateway';
import { buildIntoScratch, ROOT, type ScratchBuild } from '../support/scratch-build';
import { samplesOf } from '../support/metrics-text';
import { nonLoopbackAddress, tcpConnect } from '../support/network';
import { Reservation, ReservationStatus } from '../../src/entities';
import { anAddress } from '../factories/cart.factory';
import { buildProduct, buildShippingMethod } from '../factories/catalog.factory';
import { TEST_ADMIN } from '../support/test-app';
import { documentText } from '../support/typed-client';
import { openTestOrm, testDatabaseConfig, testDialect, truncateAll } from '../support/test-database';

/** One operation over HTTP; its data, or a thrown error with what came back. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the data is shaped by each call's query; the test walks it untyped
async function graphql(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string> = {}): Promise<any> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
  if (body.errors?.length || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body)}`);
  return body.data;
}

const STARTED = /"event":"tillgate\.started".*?"pid":(\d+)/g;

/** GATEWAY_PROCESSES: several gateway processes behind one port, on PostgreSQL only. */
describe('GATEWAY_PROCESSES', () => {
  // Each test starts several real node processes one after another: on a loaded 2-core machine that outlasts the default minute.
  jest.setTimeout(180_000);
  let build: ScratchBuild;
  beforeAll(() => {
    build = buildIntoScratch('gateway-processes');
  });
  afterAll(() => build.remove());

  if (testDialect() === 'postgresql') {
    afterAll(async () => {
      const orm = await openTestOrm();
      await truncateAll(orm);
      await orm.close(true);
    });

    it('when it is 2 on PostgreSQL, then two processes serve the port on HOST alone, the database is prepared once, and SIGTERM drains both', async () => {
      const orm = await openTestOrm(); // an empty database, as on a fresh deployment
      await orm.close(true);
      const port = await freePort();
      const child = spawnBuiltGateway(build, port, {
        GATEWAY_PROCESSES: '2',
        DATABASE_URL: (await testDatabaseConfig()).url,
        AUTH_SECRET: 'gateway-processes-test-secret-0123456789',
        HOST: '127.0.0.1',
        // The demo catalog proves the primary seeds once; with DATABASE_URL it is seeded only when asked for.
        DEMO_DATA: 'on',
      });
      const output = outputOf(child);
      const exited = exitOf(child);
      try {
        await output.waitFor('with 2 gateway processes');
        const startedPids = () => new Set([...output.text().matchAll(STARTED)].map((m) => m[1]));
        // Each process logs its start right after it listens; the banner may come first.
        await output.waitUntil(() => startedPids().size === 2);
        const pids = startedPids();
        expect(pids.has(String(child.pid))).toBe(false);

        const url = `http://127.0.0.1:${port}`;
        // The primary holds the shared socket, bound where the processes asked: loopback, not this machine's other address.
        const external = nonLoopbackAddress();
        if (external) expect(await tcpConnect(external, port)).toBe('refused');
        const answers = await Promise.all(
          Array.from({ length: 10 }, () =>
            fetch(`${url}/graphql`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({
                query: `mutation($input: LogInInput!) { logIn(input: $input) { ... on AuthPayload { customer { role } } } }`,
                variables: { input: TEST_ADMIN },
              }),
            }).then((r) => r.json() as Promise<{ data: { logIn: { customer: { role: string } } } }>),
          ),
        );
        expect(answers.map((a) => a.data.logIn.customer.role)).toEqual(Array(10).fill('ADMIN'));

        // Prepared once, by the primary: the demo catalog exists once, not once per process.
        const catalog = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ products(first: 50) { nodes { name } } }' }),
        }).then((r) => r.json() as Promise<{ data: { products: { nodes: { name: string }[] } } }>);
        const names = catalog.data.products.nodes.map((p) => p.name);
        expect(names.length).toBeGreaterThan(0);
        expect(new Set(names).size).toBe(names.length);

        // One /metrics for both processes: whichever answers the scrape, it counts all 11 GraphQL posts above,
        // though each process served only its share of them (the primary hands connections out in turn).
        const graphqlPosts = async () => {
          const text = await (await fetch(`${url}/metrics`)).text();
          return samplesOf(text, 'http_request_duration_seconds_count').get('{method="POST",route="/graphql",status="200"}');
        };
        expect([await graphqlPosts(), await graphqlPosts(), await graphqlPosts()]).toEqual([11, 11, 11]);
        const scraped = await (await fetch(`${url}/metrics`)).text();
        expect(samplesOf(scraped, 'tillgate_processes').get('')).toBe(2);
        expect(samplesOf(scraped, 'graphql_operation_duration_seconds_count').get('{operation="anonymous",result="AuthPayload"}')).toBe(10);
      } finally {
        child.kill('SIGTERM');
      }
      expect(await exited).toEqual({ code: 0, signal: null });
      expect(output.text().match(/SIGTERM: shutting down/g)).toHaveLength(2);
      expect(output.text()).toContain('"event":"gateway.stopping"');
    });

    it('when a partner key is revoked through one gateway process, then another process that accepted it refuses it at once', async () => {
      const orm = await openTestOrm();
      await truncateAll(orm);
      await orm.close(true);
      const env = {
        DATABASE_URL: (await testDatabaseConfig()).url,
        AUTH_SECRET: 'gateway-processes-test-secret-0123456789',
        WORKERS: 'off',
        PERSISTED_QUERIES: 'only-for-partners',
      };
      // Two separate processes on two ports, one after the other (each migrates on start), sharing the database.
      const gateways: ChildProcess[] = [];
      try {
        const urls: string[] = [];
        for (let index = 0; index < 2; index++) {
          const port = await freePort();
          const child = spawnBuiltGateway(build, port, env);
          gateways.push(child);
          await outputOf(child).waitFor('"event":"tillgate.started"');
          urls.push(`http://127.0.0.1:${port}`);
        }
        const [first, second] = urls;
        const { logIn } = await graphql(first, documentText(LogInDocument), { input: TEST_ADMIN });
        const admin = { authorization: `Bearer ${logIn.token}` };
        const { createPartner } = await graphql(first, documentText(CreatePartnerDocument), { input: { name: 'Two Process Partner' } }, admin);
        const { issuePartnerKey } = await graphql(first, documentText(IssuePartnerKeyDocument), { input: { partnerId: createPartner.id } }, admin);
        const asPartner = (url: string) =>
          fetch(`${url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-api-key': issuePartnerKey.secret },
            body: JSON.stringify({ query: documentText(MeDocument) }),
          }).then(async (response) => ({ status: response.status, body: await response.json() }));

        expect(await asPartner(second)).toEqual({ status: 200, body: { data: { me: null } } });
        await graphql(first, documentText(RevokePartnerKeyDocument), { input: { keyId: issuePartnerKey.key.id } }, admin);
        const refused = { status: 401, body: { errors: [{ message: 'X-Api-Key is not a valid partner key.', extensions: { code: 'PARTNER_KEY_INVALID' } }] } };
        expect(await asPartner(second)).toEqual(refused);
        expect(await asPartner(first)).toEqual(refused);
      } finally {
        for (const child of gateways) child.kill('SIGTERM');
        await Promise.all(gateways.map((child) => (child.exitCode === null ? exitOf(child) : null)));
      }
    });

    it('when a stranger hoards stock through two gateway processes, then the database-wide cap stops it at MAX_HELD_UNITS_PER_ADDRESS while another client still buys', async () => {
      const orm = await openTestOrm();
      await truncateAll(orm);
      const { variants } = await buildProduct(orm.em.fork(), { variants: [0, 1, 2].map(() => ({ price: 1_000, currency: 'EUR', stock: 20 })) });
      const method = await buildShippingMethod(orm.em.fork(), { price: 500 });
      const env = {
        DATABASE_URL: (await testDatabaseConfig()).url,
        AUTH_SECRET: 'gateway-processes-test-secret-0123456789',
        WORKERS: 'off',
        GUEST_COD: 'on',
        TRUST_PROXY: 'loopback',
        MAX_HELD_UNITS_PER_ADDRESS: '10',
      };
      const gateways: ChildProcess[] = [];
      try {
        const urls: string[] = [];
        for (let index = 0; index < 2; index++) {
          const port = await freePort();
          const child = spawnBuiltGateway(build, port, env);
          gateways.push(child);
          await outputOf(child).waitFor('"event":"tillgate.started"');
          urls.push(`http://127.0.0.1:${port}`);
        }
        const call = async (url: string, from: string, query: string, input: Record<string, unknown>) => {
          const response = await fetch(`${url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
            body: JSON.stringify({ query, variables: { input } }),
          });
          return {
            status: response.status,
            body: (await response.json()) as {
              data?: Record<string, { __typename?: string; id?: string; versionKey?: string; order?: { status: string } }>;
              errors?: { extensions: Record<string, unknown> }[];
            },
          };
        };
        /** The attack's loop, once: a cart, `units` of one variant, address, shipping, startCheckout, all through `url`. */
        const checkoutAs = async (url: string, from: string, variantId: string, units: number) => {
          const cartId = (
            await call(url, from, 'mutation($input: CreateCartInput!) { createCart(input: $input) { id } }', { currency: 'EUR', email: 'e2e@example.com' })
          ).body.data!.createCart.id;
          await call(url, from, 'mutation($input: AddCartLineInput!) { addCartLine(input: $input) { __typename } }', { cartId, variantId, quantity: units });
          await call(url, from, 'mutation($input: SetShippingAddressInput!) { setShippingAddress(input: $input) { __typename } }', {
            cartId,
            address: anAddress(),
          });
          await call(url, from, 'mutation($input: SetShippingMethodInput!) { setShippingMethod(input: $input) { __typename } }', {
            cartId,
            shippingMethodId: method.id,
          });
          const started = await call(
            url,
            from,
            `mutation($input: StartCheckoutInput!) { startCheckout(input: $input) { __typename ... on CheckoutPreview { versionKey } } }`,
            { cartId },
          );
          return { cartId, started };
        };
        const [hoarder, buyer] = ['203.0.113.7', '198.51.100.9'];

        const first = await checkoutAs(urls[0], hoarder, variants[0].id, 5);
        const second = await checkoutAs(urls[1], hoarder, variants[1].id, 5);
        const third = await checkoutAs(urls[0], hoarder, variants[2].id, 5);
        const bought = await checkoutAs(urls[1], buyer, variants[2].id, 5);
        const placed = await call(
          urls[0],
          buyer,
          'mutation($input: ConfirmCheckoutInput!) { confirmCheckout(input: $input) { __typename ... on CheckoutConfirmation { order { status } } } }',
          {
            cartId: bought.cartId,
            versionKey: bought.started.body.data!.startCheckout.versionKey,
            paymentMethod: 'CASH_ON_DELIVERY',
          },
        );

        expect([first, second].map((c) => c.started.body.data!.startCheckout.__typename)).toEqual(['CheckoutPreview', 'CheckoutPreview']);
        expect(third.started.status).toBe(429);
        expect(third.started.body.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
        expect(placed.body.data!.confirmCheckout.order!.status).toBe('PLACED');
        const held = await orm.em.fork().find(Reservation, { status: ReservationStatus.ACTIVE });
        expect(held.map((r) => [r.cartId, r.quantity]).sort()).toEqual(
          [
            [first.cartId, 5],
            [second.cartId, 5],
          ].sort(),
        );
      } finally {
        for (const child of gateways) child.kill('SIGTERM');
        await Promise.all(gateways.map((child) => (child.exitCode === null ? exitOf(child) : null)));
        await orm.close(true);
      }
    });
  } else {
    it('when it is above 1 on the embedded libSQL file, then the process refuses to start with one clear line', async () => {
      const outcome = await promisify(execFile)(process.execPath, [build.entry('src/main.js')], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', GATEWAY_PROCESSES: '2', DATA_DIR: `${build.dir}/data` },
        timeout: 90_000,
      }).then(
        () => ({ code: 0, stderr: '' }),
        (failure: { code: number; stderr: string }) => failure,
      );
      expect(outcome.code).toBe(2);
      expect(outcome.stderr.split('\n').filter(Boolean)).toEqual([
        'Configuration error: GATEWAY_PROCESSES above 1 needs PostgreSQL (DATABASE_URL): the embedded libSQL file serves one process',
      ]);
    });
  }
});
