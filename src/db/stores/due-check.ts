/**
 * "Would a worker's round find work now?" as one SQL boolean expression, an
 * `exists (…)` over an index, so that asking it every tick costs next to
 * nothing. It must say yes whenever the round would find work; a yes when it
 * would not only costs a round. A store makes each beside the statement whose
 * work it predicts, with the same predicate; the runner asks every worker's at
 * once (`WorkStore.whichAreDue`). A Date among the parameters is sent as the
 * dialect stores times.
 */
export interface DueCheck {
  readonly sql: string;
  readonly params: readonly unknown[];
}
