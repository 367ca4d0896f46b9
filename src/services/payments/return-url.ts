import type { Config } from '../../config';
import { ErrorCode } from '../shared/error-code';
import { userFailure, type Failure } from '../shared/outcome';

/**
 * A checkout's returnUrl becomes the Stripe Checkout success and cancel URLs
 * and a card's 3-D Secure return_url. Unchecked, it turned a genuine Stripe
 * page into an open redirect to anywhere, so it must share the
 * origin of PUBLIC_URL or of one of ALLOWED_RETURN_ORIGINS. An origin is
 * compared whole (scheme, host and port), so `https://shop.example.com.evil.io`
 * or `https://shop.example.com@evil.io` never pass for the shop. Credentials in
 * the URL are refused as well: the shop's own pages never carry them.
 */
export function returnUrlFailure(returnUrl: string | null | undefined, config: Pick<Config, 'publicUrl' | 'allowedReturnOrigins'>): Failure | null {
  if (returnUrl === null || returnUrl === undefined) return null;
  const url = URL.canParse(returnUrl) ? new URL(returnUrl) : null;
  const allowed = new Set([new URL(config.publicUrl).origin, ...config.allowedReturnOrigins]);
  if (url && (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password && allowed.has(url.origin)) return null;
  return userFailure(ErrorCode.VALIDATION_FAILED, "returnUrl must be a page of this shop's own site (PUBLIC_URL or an allowed return origin).", 'returnUrl');
}
