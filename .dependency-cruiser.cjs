/**
 * Import boundaries over src/ (`npm run lint`). Paths are relative to the directory cruised from,
 * so the same rules run over test/fixtures/boundaries in the test that proves they bite.
 * Type-only imports are part of the graph (tsPreCompilationDeps): a type import still ties
 * a layer to another layer, and a type import from `stripe` is still Stripe outside the adapter;
 * only no-circular leaves them out (see its comment).
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'services-not-upward',
      comment: 'Services are the use cases; the GraphQL schema, HTTP and resolvers sit on top of them and are never imported by them.',
      severity: 'error',
      from: { path: '^src/services/' },
      to: { path: '^src/(schema|http|resolvers)/' },
    },
    {
      name: 'stripe-only-in-adapter',
      comment: 'Stripe stays behind the payment port (services/payments/payment-port.ts): only the adapter may import the stripe package, types included.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/services/payments/stripe/' },
      to: { path: ['(^|/)node_modules/stripe/', '^stripe($|/)'] },
    },
    {
      name: 'sql-only-in-db',
      comment:
        'The statement runner (src/db/sql) and the dialect test are src/db’s own: the rest of src/ reaches the database ' +
        'through the stores (src/db/stores), which say what they do in domain words.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/db/' },
      to: { path: ['^src/db/sql/', '^src/db/dialect[.]ts$'] },
    },
    {
      name: 'stores-by-interface',
      comment:
        'A service sees a store by its interface (src/db/stores/<x>-store.ts); which implementation answers, the ' +
        'PostgreSQL or the libSQL one, is chosen once, in createStores (src/db/stores/index.ts).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/db/' },
      to: { path: '^src/db/stores/(postgres|libsql|shared)/' },
    },
    {
      name: 'no-circular',
      comment:
        'No runtime import cycles: in a cycle, load order decides what is still undefined at start-up. ' +
        'A cycle closed only by a type-only import is erased at compile time and is not counted ' +
        '(MikroORM entities name their owner that way, e.g. CartLine -> Cart).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, dependencyTypesNot: ['type-only'], viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    includeOnly: { path: ['^src/', '(^|/)node_modules/stripe/', '^stripe($|/)'] },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    // Absolute, so the boundaries test can cruise its fixture tree (from there) with this same file.
    tsConfig: { fileName: require('node:path').join(__dirname, 'tsconfig.json') },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['require', 'node', 'default'], extensions: ['.ts', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
