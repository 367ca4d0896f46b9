import { SagaStatus } from '../../src/entities';

/** A saga_executions row of a finished saga of a kind nothing recovers: for statements that only need a row to insert. */
export const finishedSagaRow = (id: string) => ({
  id,
  kind: 'test',
  key: id,
  status: SagaStatus.COMPLETED,
  stepsCompleted: 1,
  data: {},
  createdAt: new Date(),
  updatedAt: new Date(),
});
