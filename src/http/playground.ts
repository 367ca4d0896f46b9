import { dirname, join } from 'node:path';
import { Router } from 'express';
import { PLAYGROUND_TABS } from './playground-tabs';

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
  <style>
    body { margin: 0; height: 100vh; display: flex; flex-direction: column; font-family: system-ui, sans-serif; }
    #headers-note { margin: 0; padding: 6px 12px; font-size: 13px; background: #fff8e1; border-bottom: 1px solid #e0d7b8; }
    #headers-note code { background: #f3ecd2; padding: 0 3px; }
    #graphiql { flex: 1; min-height: 0; }
  </style>
</head>
<body>
  <p id="headers-note">Headers go in the <b>Headers</b> tab below and are kept across reloads:
    signed in, <code>{"Authorization": "Bearer &lt;token from logIn&gt;"}</code>;
    as a partner, <code>{"X-Api-Key": "&lt;your partner key&gt;"}</code>.
    The tabs walk through a checkout: logIn, createCart, addCartLine, address, shipping, startCheckout, confirmCheckout (cash on delivery).</p>
  <div id="graphiql">Loading the playground…</div>
  <script src="/playground/assets/react.js"></script>
  <script src="/playground/assets/react-dom.js"></script>
  <script src="/playground/assets/graphiql.js"></script>
  <script src="/playground/assets/playground.js"></script>
</body>
</html>`;

// Kept out of the page itself so a strict Content-Security-Policy (script-src 'self') holds.
// shouldPersistHeaders keeps the Headers tab in localStorage, so a token survives a reload.
const BOOT_SCRIPT = `
const fetcher = GraphiQL.createFetcher({ url: '/graphql', headers: { 'apollo-require-preflight': 'true' } });
const defaultTabs = ${JSON.stringify(PLAYGROUND_TABS)};
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, { fetcher, defaultTabs, shouldPersistHeaders: true, defaultEditorToolsVisibility: true }),
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
