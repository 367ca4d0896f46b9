/**
 * Prints one plain closing line ("tests: N passed, N failed, N skipped") after
 * Jest's own summary, so any reader of the log can count without parsing Jest.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
