/**
 * Imported first by the entry points, before graphql-js loads: unless told
 * otherwise, the server runs in production mode. graphql-js reads NODE_ENV
 * once, at load, and outside production checks every instanceof across
 * realms on every field — a few per cent of the CPU of each request.
 */
process.env.NODE_ENV ??= 'production';
