import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { OutboxEventStatus, SagaStatus, type OutboxEvent, type SagaExecution } from '../../entities';
import type { AdminPage } from '../../services/operations/admin-page';
import { sagaOrderId } from '../../services/operations/saga-operations.service';
import { PageInfo } from './common.type';

// The entity enums hold exactly the public values (contract addendum `operations`).
registerEnumType(SagaStatus, { name: 'SagaStatus' });
registerEnumType(OutboxEventStatus, { name: 'OutboxEventStatus' });

@ObjectType('Saga')
export class SagaType {
  @Field(() => ID) id!: string;
  @Field() kind!: string;
  @Field(() => SagaStatus) status!: SagaStatus;
  @Field(() => Int, { description: 'Index of the last step that committed, counted from 1 (0: none yet).' }) stepReached!: number;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => ID, { nullable: true, description: 'The order the saga created, once it did.' }) orderId!: string | null;
  @Field() createdAt!: Date;
  @Field() updatedAt!: Date;

  static from(saga: SagaExecution): SagaType {
    return Object.assign(new SagaType(), {
      id: saga.id,
      kind: saga.kind,
      status: saga.status,
      stepReached: saga.stepsCompleted,
      lastError: saga.lastError,
      orderId: sagaOrderId(saga),
      createdAt: saga.createdAt,
      updatedAt: saga.updatedAt,
    });
  }
}

@ObjectType('SagaConnection')
export class SagaConnectionType {
  @Field(() => [SagaType]) nodes!: SagaType[];
  @Field(() => PageInfo) pageInfo!: PageInfo;

  static from(page: AdminPage<SagaExecution>): SagaConnectionType {
    return Object.assign(new SagaConnectionType(), { nodes: page.nodes.map(SagaType.from), pageInfo: pageInfoOf(page) });
  }
}

@ObjectType('OutboxEvent')
export class OutboxEventType {
  @Field(() => ID, { description: 'The event id consumers dedup by; a replay keeps it.' }) id!: string;
  @Field() type!: string;
  @Field() aggregateId!: string;
  @Field(() => OutboxEventStatus) status!: OutboxEventStatus;
  @Field(() => Int, { description: 'Delivery attempts since the event was written or last replayed.' }) attempts!: number;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) deliveredAt!: Date | null;

  static from(event: OutboxEvent): OutboxEventType {
    return Object.assign(new OutboxEventType(), {
      id: event.id,
      type: event.type,
      aggregateId: event.aggregateId,
      status: event.status,
      attempts: event.attempts,
      lastError: event.lastError,
      createdAt: event.createdAt,
      deliveredAt: event.deliveredAt,
    });
  }
}

@ObjectType('OutboxEventConnection')
export class OutboxEventConnectionType {
  @Field(() => [OutboxEventType]) nodes!: OutboxEventType[];
  @Field(() => PageInfo) pageInfo!: PageInfo;

  static from(page: AdminPage<OutboxEvent>): OutboxEventConnectionType {
    return Object.assign(new OutboxEventConnectionType(), { nodes: page.nodes.map(OutboxEventType.from), pageInfo: pageInfoOf(page) });
  }
}

function pageInfoOf(page: AdminPage<unknown>): PageInfo {
  return Object.assign(new PageInfo(), { hasNextPage: page.hasNextPage, endCursor: page.endCursor });
}
