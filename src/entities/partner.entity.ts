import { DateTimeType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from './columns';

/** A company that calls the API server to server with keys of its own (partner-key.entity.ts). */
@Entity({ tableName: 'partners' })
export class Partner {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  /** Shown on logs and metrics for every request the partner makes; unique so the label names one partner. */
  @Property({ type: 'string', length: 100, unique: 'partners_name_unique' })
  name!: string;

  @Property({ type: DateTimeType })
  createdAt: Date = new Date();
}
