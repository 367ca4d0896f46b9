import { OperationsStoreBase } from '../shared/operations-store.base';

/** Times are stored as epoch milliseconds already (MikroORM's SQLite convention). */
export class LibsqlOperationsStore extends OperationsStoreBase {
  protected readonly count = 'count(*)';
  protected readonly nullLabel = 'null';

  protected epochMs(expression: string): string {
    return expression;
  }

  protected bucketOf(column: string, bucketMs: number): string {
    return `(${column} / ${bucketMs})`;
  }
}
