import { Database } from '../../../../src/db/database';
import type { Orm } from '../../../../src/db/orm';
import { createStores, type Stores } from '../../../../src/db/stores';
import { OutboxRelay } from '../../../../src/services/outbox/outbox-relay';
import { HttpSink } from '../../../../src/services/outbox/sinks';
import { openTestOrm, truncateAll } from '../../../support/test-database';
import { EventReceiver } from './event-receiver';

export interface RelaySetup {
  readonly orm: Orm;
  /** What a relay needs besides its sink: the stores on this ORM. */
  readonly deps: { db: Database; stores: Stores };
  /** A fresh HTTP receiver for each test. */
  readonly receiver: EventReceiver;
  /** A relay publishing to the receiver (2 s timeout). */
  relay(options?: ConstructorParameters<typeof OutboxRelay>[2]): OutboxRelay;
}

/**
 * The outbox relay suites' set-up, registered as Jest hooks (call it first in
 * the `describe`): one ORM per file, empty tables and a new receiver per test.
 */
export function useRelaySetup(): RelaySetup {
  let orm: Orm | undefined;
  let stores: Stores | undefined;
  let receiver: EventReceiver | undefined;
  const started = () => {
    if (!orm || !stores || !receiver) throw new Error('useRelaySetup: read before its hooks ran');
    return { orm, deps: { db: stores.db, stores }, receiver };
  };
  beforeAll(async () => {
    orm = await openTestOrm();
    stores = createStores(new Database(orm));
  });
  beforeEach(async () => {
    await truncateAll(orm!);
    receiver = await new EventReceiver().start();
  });
  afterEach(() => receiver?.close());
  afterAll(() => orm?.close(true));
  return {
    get orm() {
      return started().orm;
    },
    get deps() {
      return started().deps;
    },
    get receiver() {
      return started().receiver;
    },
    relay: (options = {}) => new OutboxRelay(started().deps, new HttpSink([started().receiver.url], 2_000), options),
  };
}
