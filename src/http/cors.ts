import type { RequestHandler } from 'express';

/**
 * CORS for /graphql (ALLOWED_ORIGINS). A storefront on another origin may call
 * the API from the browser; any other origin gets no CORS headers at all, so
 * the browser keeps the answer from its page. Apollo's CSRF prevention stays
 * on behind this: a browser request that could skip the preflight (a "simple"
 * request) is still refused by Apollo, whatever its origin.
 *
 * Credentials are not allowed: the API authenticates by the Authorization and
 * X-Api-Key headers, never by cookies.
 */

/** What a storefront or a partner sends, plus Apollo's CSRF-prevention headers. */
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'X-Api-Key', 'Apollo-Require-Preflight', 'X-Apollo-Operation-Name'].join(', ');
const ALLOWED_METHODS = 'GET, POST';
/** Browsers cap this themselves (Chromium at 2 hours); ten minutes lets a changed list take effect soon. */
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/** Exact origins, or `scheme://host:*` for that host on any port (config.ts checks the forms). */
export function originMatcher(patterns: readonly string[]): (origin: string) => boolean {
  const exact = new Set(patterns.filter((pattern) => !pattern.endsWith(':*')));
  const anyPort = new Set(patterns.filter((pattern) => pattern.endsWith(':*')).map((pattern) => pattern.slice(0, -2)));
  return (origin) => {
    if (exact.has(origin)) return true;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      // "null" (sandboxed frames, file://) and anything malformed.
      return false;
    }
    // Compared as parsed scheme and host, so http://localhost.evil.example is not http://localhost.
    return url.origin === origin && anyPort.has(`${url.protocol}//${url.hostname}`);
  };
}

export function corsForOrigins(patterns: readonly string[]): RequestHandler {
  const isAllowed = originMatcher(patterns);
  return (req, res, next) => {
    const origin = req.headers.origin;
    // The answer depends on the Origin header: no cache may hand one origin's answer to another.
    res.vary('Origin');
    const allowed = typeof origin === 'string' && isAllowed(origin);
    if (allowed) res.setHeader('Access-Control-Allow-Origin', origin);

    const isPreflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (!isPreflight) {
      next();
      return;
    }
    // A refused origin's preflight also ends here, without CORS headers: the browser then sends nothing.
    if (allowed) {
      res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
      res.setHeader('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_SECONDS);
    }
    res.status(204).end();
  };
}
