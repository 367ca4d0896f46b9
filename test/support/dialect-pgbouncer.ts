/** PostgreSQL through PgBouncer in transaction mode (test-database.ts): the app's statements go through the pooler, migrations direct. */
process.env.TEST_DIALECT = 'postgresql';
process.env.TEST_POOLER = 'pgbouncer';
