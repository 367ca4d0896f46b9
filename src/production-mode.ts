import { NODE_ENV_FILLED_IN } from './config';

/**
 * Imported first by the entry points, before graphql-js loads: unless told
 * otherwise, the libraries run in production mode. graphql-js reads NODE_ENV
 * once, at load, and outside production checks every instanceof across
 * realms on every field — a few per cent of the CPU of each request; Apollo
 * would put stack traces into error answers.
 *
 * Tillgate's own production rules (config.ts `production`: no demo data, no
 * generated admin password, guarded /metrics, every interface) follow only a
 * NODE_ENV=production the operator set, so a value filled in here is marked;
 * forked gateway processes inherit both.
 */
if (process.env.NODE_ENV === undefined) {
  process.env.NODE_ENV = 'production';
  process.env[NODE_ENV_FILLED_IN] = '1';
}
