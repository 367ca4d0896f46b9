import type { Orm } from '../../../../src/db/orm';
import { OutboxRelay } from '../../../../src/services/outbox/outbox-relay';
import { HttpSink } from '../../../../src/services/outbox/sinks';
import { openTestOrm, truncateAll } from '../../../support/test-database';
import { EventReceiver } from './event-receiver';

export interface RelaySetup {
  readonly orm: Orm;
  /** A fresh HTTP receiver for each test. */
  readonly receiver: EventReceiver;
  /** A relay publishing to the receiver (2 s timeout). */
  relay(options?: ConstructorParameters<typeof OutboxRelay>[1]): OutboxRelay;
}

/**
 * The outbox relay suites' set-up, registered as Jest hooks (call it first in
 * the `describe`): one ORM per file, empty tables and a new receiver per test.
 */
export function useRelaySetup(): RelaySetup {
  let orm: Orm | undefined;
  let receiver: EventReceiver | undefined;
  const started = () => {
    if (!orm || !receiver) throw new Error('useRelaySetup: read before its hooks ran');
    return { orm, receiver };
  };
  beforeAll(async () => {
    orm = await openTestOrm();
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
    get receiver() {
      return started().receiver;
    },
    relay: (options = {}) => new OutboxRelay(new HttpSink([started().receiver.url], 2_000), options),
  };
}
