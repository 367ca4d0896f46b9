import express, { type Response, type Router } from 'express';
import type { AppDeps } from '../services/app-deps';
import { PaymentLinkClickService, type ClickAnswer } from '../services/payment-links/payment-link-click.service';
import { logger } from '../services/shared/logger';
import { isLinkPreviewAgent } from './link-preview-agents';

export const PAYMENT_LINK_PATH = '/pay/:token';
const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

function page(res: Response, status: number, title: string, text: string): void {
  res
    .status(status)
    .set({ 'cache-control': 'no-store', 'x-robots-tag': 'noindex' })
    .type('html')
    .send(
      `<!doctype html><html><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>${title}</title></head>` +
        `<body><h1>${title}</h1><p>${text}</p></body></html>`,
    );
}

const previewPage = (res: Response) => page(res, 200, 'Payment request', 'Open this link in your browser to pay securely.');

function answer(res: Response, outcome: ClickAnswer): void {
  switch (outcome.kind) {
    case 'redirect':
      res.set('cache-control', 'no-store').redirect(303, outcome.url);
      return;
    case 'paid':
      page(res, 409, 'Already paid', 'This payment link has already been paid. Thank you!');
      return;
    case 'closed':
      page(res, 410, 'Link closed', 'This payment link is no longer valid.');
      return;
    case 'not-found':
      page(res, 404, 'Not found', 'This payment link does not exist.');
      return;
    case 'unavailable':
      res.set('retry-after', '5');
      page(res, 503, 'Try again in a moment', 'The payment page could not be opened right now. Please reload.');
      return;
  }
}

/**
 * GET /pay/<token>. HEAD and link-preview agents (link-preview-agents.ts) get a
 * small 200 page and touch nothing: no database write, no Stripe call. A
 * browser click is handled by PaymentLinkClickService.
 */
export function paymentLinksRouter(deps: AppDeps): Router {
  const router = express.Router();
  router.head(PAYMENT_LINK_PATH, (_req, res) => previewPage(res));
  router.get(PAYMENT_LINK_PATH, async (req, res) => {
    if (isLinkPreviewAgent(req.get('user-agent'))) return previewPage(res);
    const token = req.params.token;
    if (!TOKEN.test(token)) return answer(res, { kind: 'not-found' });
    // Without a payment provider no order is created at all (it could never be paid).
    const { payments } = deps;
    if (!payments) return answer(res, { kind: 'unavailable' });
    try {
      const service = new PaymentLinkClickService(deps.orm.em.fork(), { config: deps.config, clock: deps.clock, db: deps.db, stores: deps.stores, payments });
      answer(res, await service.click(token));
    } catch (error) {
      logger.error('payment_link.click_failed', { error });
      answer(res, { kind: 'unavailable' });
    }
  });
  return router;
}
