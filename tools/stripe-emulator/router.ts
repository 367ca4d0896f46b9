import type { Handler, RouteDef } from './context';
import { chargeRoutes } from './resources/charges';
import { checkoutSessionRoutes } from './resources/checkout-sessions';
import { customerRoutes } from './resources/customers';
import { paymentIntentRoutes } from './resources/payment-intents';
import { paymentMethodRoutes } from './resources/payment-methods';
import { refundRoutes } from './resources/refunds';
import { transferRoutes } from './resources/transfers';

interface CompiledRoute {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

function compile(route: RouteDef): CompiledRoute {
  const names: string[] = [];
  const source = route.path.replace(/:([a-z_]+)/g, (_match, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { method: route.method, pattern: new RegExp(`^${source}$`), names, handler: route.handler };
}

// Order matters where a literal segment could also be read as an id.
const ROUTES: CompiledRoute[] = [
  ...paymentIntentRoutes,
  ...chargeRoutes,
  ...checkoutSessionRoutes,
  ...refundRoutes,
  ...transferRoutes,
  ...customerRoutes,
  ...paymentMethodRoutes,
].map(compile);

export interface RouteMatch {
  handler: Handler;
  pathParams: Record<string, string>;
}

export function matchRoute(method: string, path: string): RouteMatch | undefined {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    const pathParams: Record<string, string> = {};
    route.names.forEach((name, index) => {
      pathParams[name] = decodeURIComponent(match[index + 1] ?? '');
    });
    return { handler: route.handler, pathParams };
  }
  return undefined;
}
