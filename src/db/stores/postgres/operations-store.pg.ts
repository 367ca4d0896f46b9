import { OperationsStoreBase } from '../shared/operations-store.base';

/** timestamptz columns, and a count that would otherwise come back as a bigint string. */
export class PgOperationsStore extends OperationsStoreBase {
  protected readonly count = 'count(*)::float8';
  protected readonly nullLabel = 'cast(null as text)';

  protected epochMs(expression: string): string {
    return `(extract(epoch from ${expression}) * 1000)::float8`;
  }

  protected bucketOf(column: string, bucketMs: number): string {
    return `floor(extract(epoch from ${column}) * 1000 / ${bucketMs})`;
  }
}
