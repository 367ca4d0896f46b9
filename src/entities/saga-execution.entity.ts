import { DateTimeType, Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from './columns';
import { SagaStatus } from './enums';

/**
 * Durable progress of one saga run, written in the same transactions as its
 * steps so that recovery can resume or compensate after a crash.
 */
@Entity({ tableName: 'saga_executions' })
@Index({ properties: ['status', 'updatedAt'] })
export class SagaExecution {
  [OptionalProps]?: 'stepsCompleted' | 'status' | 'data' | 'lastError' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'string', length: 50 })
  kind!: string;

  @Property({ type: 'string', length: 300 })
  key!: string;

  /** Number of steps completed. */
  @Property({ type: 'integer' })
  stepsCompleted: number = 0;

  @Property({ type: 'string', length: 32 })
  status: SagaStatus = SagaStatus.RUNNING;

  /** Saga input and each completed step's compensation data, by step id. */
  @Property({ type: 'json' })
  data: Record<string, unknown> = {};

  @Property({ type: 'text', nullable: true })
  lastError: string | null = null;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();

  @Property({ type: DateTimeType })
  updatedAt: Date = new Date();
}
