import type { Config } from '../config';
import type { Orm } from '../db/orm';
import type { TokenService } from './auth/tokens';
import type { Clock } from './shared/clock';

/** What lives for the whole process and every request can use. */
export interface AppDeps {
  config: Config;
  orm: Orm;
  tokens: TokenService;
  clock: Clock;
  /** Filled in by later capabilities (payment gateway, outbox sink, ...). */
  extensions: Record<string, unknown>;
}
