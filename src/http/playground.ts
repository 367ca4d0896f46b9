import { dirname, join } from 'node:path';
import { Router } from 'express';

/**
 * A self-hosted GraphiQL: its bundle and React come from node_modules and are
 * served by this app, so the playground works with no internet (no CDN).
 */
const asset = (pkg: string, file: string) => join(dirname(require.resolve(`${pkg}/package.json`)), file);

const ASSETS: Record<string, { path: string; type: string }> = {
  'react.js': { path: asset('react', 'umd/react.production.min.js'), type: 'text/javascript' },
  'react-dom.js': { path: asset('react-dom', 'umd/react-dom.production.min.js'), type: 'text/javascript' },
  'graphiql.js': { path: asset('graphiql', 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.css': { path: asset('graphiql', 'graphiql.min.css'), type: 'text/css' },
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Tillgate playground</title>
  <link rel="stylesheet" href="/playground/assets/graphiql.css">
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading the playground…</div>
  <script src="/playground/assets/react.js"></script>
  <script src="/playground/assets/react-dom.js"></script>
  <script src="/playground/assets/graphiql.js"></script>
  <script src="/playground/assets/playground.js"></script>
</body>
</html>`;

// Kept out of the page itself so a strict Content-Security-Policy (script-src 'self') holds.
const BOOT_SCRIPT = `
const fetcher = GraphiQL.createFetcher({ url: '/graphql', headers: { 'apollo-require-preflight': 'true' } });
const defaultQuery = '# Tillgate: try the demo catalog.\\n# Sign in with logIn and put the token in the Headers tab:\\n# { "Authorization": "Bearer <token>" }\\n\\nquery Catalog {\\n  products(first: 5) {\\n    nodes { id name variants { id sku name price { amount currency } available } }\\n    pageInfo { hasNextPage endCursor }\\n  }\\n}\\n';
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, { fetcher, defaultQuery, defaultEditorToolsVisibility: true }),
);
`;

export function playgroundRouter(): Router {
  const router = Router();
  router.get('/playground', (_req, res) => {
    res.type('html').set('Content-Security-Policy', "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:").send(PAGE);
  });
  router.get('/playground/assets/playground.js', (_req, res) => {
    res.type('text/javascript').send(BOOT_SCRIPT);
  });
  router.get('/playground/assets/:file', (req, res) => {
    const found = ASSETS[req.params.file];
    if (!found) {
      res.status(404).send('not found');
      return;
    }
    res.type(found.type).set('Cache-Control', 'public, max-age=86400').sendFile(found.path);
  });
  return router;
}
