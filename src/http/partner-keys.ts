import type { RequestHandler, Response } from 'express';
import type { AppDeps } from '../services/app-deps';
import { authenticatePartnerKey, type AuthenticatedPartner } from '../services/partners/partner-authentication';
import { splitKey } from '../services/partners/partner-key-secret';
import { annotateLogContext } from '../observability/log-context';
import { logger } from '../services/shared/logger';

export const PARTNER_KEY_INVALID = 'PARTNER_KEY_INVALID';

/** The partner that partnerAuthentication found for this request; null for an ordinary client. */
export const requestPartner = (res: Response): AuthenticatedPartner | null => (res.locals.partner as AuthenticatedPartner | undefined) ?? null;

/**
 * A request with an X-Api-Key header is a partner's, and its key must be valid:
 * an unknown, revoked, malformed or empty key is refused with HTTP 401 and never
 * treated as an ordinary client (which would let a partner step out of its
 * safelist by sending a wrong key). A request without the header is an ordinary
 * client's. The partner's name goes on every log line of the request.
 */
export function partnerAuthentication(deps: AppDeps): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers['x-api-key'];
    if (header === undefined) return next();
    const key = (Array.isArray(header) ? header.join(',') : header).trim();
    const partner = await authenticatePartnerKey(deps, deps.orm.em.fork(), key, deps.clock.now());
    if (!partner) {
      logger.warn('partner_key.refused', { keyPrefix: splitKey(key)?.prefix ?? null, path: req.path });
      res.status(401).json({ errors: [{ message: 'X-Api-Key is not a valid partner key.', extensions: { code: PARTNER_KEY_INVALID } }] });
      return;
    }
    res.locals.partner = partner;
    annotateLogContext({ partner: partner.name });
    next();
  };
}
