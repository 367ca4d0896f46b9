/** Failures the emulator can be told to inject, matched in order of addition. */
export type FaultAction =
  | { kind: 'status'; status: number; error?: { type: string; code?: string; message?: string } }
  | { kind: 'delay'; ms: number }
  /** Never answer (until the emulator closes); the idempotency key stays in flight. */
  | { kind: 'hang' }
  /** Perform the request fully (state, events, idempotency record), then answer an error: a lost response. */
  | { kind: 'applyThenFail'; status?: number }
  /** Perform the request fully, then destroy the socket. */
  | { kind: 'applyThenDrop' };

export interface FaultSpec {
  /** HTTP method, any case; omitted = any. */
  method?: string;
  /** A string matches the path exactly (no query string); a RegExp is tested against it. Omitted = any. */
  path?: RegExp | string;
  /** How many matching requests it affects; default 1. */
  times?: number;
  action: FaultAction;
}

export interface FaultHandle {
  /** Resolves when the fault first takes effect, so tests can act while a request is held. */
  readonly hit: Promise<void>;
  readonly remaining: number;
}

export interface FaultInjector {
  add(spec: FaultSpec): FaultHandle;
  clear(): void;
  /** Faults still waiting to fire. */
  readonly pending: ReadonlyArray<Readonly<FaultSpec> & { remaining: number }>;
}

interface ArmedFault {
  spec: FaultSpec;
  remaining: number;
  signalHit: () => void;
}

export class FaultTable implements FaultInjector {
  private faults: ArmedFault[] = [];

  add(spec: FaultSpec): FaultHandle {
    validate(spec);
    let signalHit = (): void => undefined;
    const hit = new Promise<void>((resolve) => {
      signalHit = resolve;
    });
    const armed: ArmedFault = { spec, remaining: spec.times ?? 1, signalHit };
    this.faults.push(armed);
    return {
      hit,
      get remaining() {
        return armed.remaining;
      },
    };
  }

  clear(): void {
    this.faults = [];
  }

  get pending(): ReadonlyArray<Readonly<FaultSpec> & { remaining: number }> {
    return this.faults.map((fault) => ({ ...fault.spec, remaining: fault.remaining }));
  }

  /** The first fault matching the request, with one use consumed. */
  take(method: string, path: string): { action: FaultAction; signalHit: () => void } | undefined {
    const index = this.faults.findIndex((fault) => matches(fault.spec, method, path));
    const fault = this.faults[index];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.faults.splice(index, 1);
    return { action: fault.spec.action, signalHit: fault.signalHit };
  }
}

function matches(spec: FaultSpec, method: string, path: string): boolean {
  if (spec.method !== undefined && spec.method.toUpperCase() !== method) return false;
  if (spec.path === undefined) return true;
  if (typeof spec.path === 'string') return spec.path === path;
  // A /g or /y RegExp keeps state between test() calls; start from the beginning every time.
  spec.path.lastIndex = 0;
  return spec.path.test(path);
}

function validate(spec: FaultSpec): void {
  const times = spec.times ?? 1;
  if (!Number.isInteger(times) || times < 1) throw new Error(`Fault times must be a positive integer, got ${String(spec.times)}`);
  const action = spec.action;
  if (action.kind === 'status' && !(Number.isInteger(action.status) && action.status >= 400 && action.status <= 599)) {
    throw new Error(`Fault status must be an HTTP error status (400-599), got ${action.status}`);
  }
  if (action.kind === 'applyThenFail' && action.status !== undefined && !(action.status >= 400 && action.status <= 599)) {
    throw new Error(`Fault status must be an HTTP error status (400-599), got ${action.status}`);
  }
  if (action.kind === 'delay' && !(Number.isInteger(action.ms) && action.ms >= 0)) {
    throw new Error(`Fault delay must be a non-negative integer of milliseconds, got ${action.ms}`);
  }
}
