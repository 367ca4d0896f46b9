import type { SagaFaults } from '../../../src/services/saga/saga-types';

export interface SagaPause {
  faults: SagaFaults;
  /** Resolves once the first run has reached the step (and is waiting there). */
  reached: Promise<void>;
  release(): void;
}

/**
 * Holds the first saga run that reaches `stepId` just before that step, until
 * `release()`; later runs pass straight through. Synchronises on promises, not time.
 */
export function pauseBefore(stepId: string): SagaPause {
  let release!: () => void;
  let arrived!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const reached = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  let taken = false;
  const faults: SagaFaults = {
    beforeStep(id) {
      if (id !== stepId || taken) return undefined;
      taken = true;
      arrived();
      return released;
    },
  };
  return { faults, reached, release };
}
