/**
 * Jest reporter, beside the default one: at the end of every run, the ten slowest test files
 * with their times, so a file that grows slow is seen before the suite is. Plain JavaScript:
 * jest loads reporters without transforming them.
 */
const path = require('node:path');

class SlowestReporter {
  constructor(globalConfig, options = {}) {
    this.rootDir = globalConfig.rootDir;
    this.count = options.count ?? 10;
  }

  onRunComplete(_contexts, results) {
    const files = results.testResults
      .map((r) => ({ file: path.relative(this.rootDir, r.testFilePath), ms: r.perfStats.runtime ?? r.perfStats.end - r.perfStats.start }))
      .filter((f) => Number.isFinite(f.ms) && f.ms > 0)
      .sort((a, b) => b.ms - a.ms)
      .slice(0, this.count);
    if (!files.length) return;
    const lines = files.map((f) => `${(f.ms / 1000).toFixed(1).padStart(7)} s  ${f.file}`);
    process.stderr.write(`\nSlowest test files:\n${lines.join('\n')}\n`);
  }
}

module.exports = SlowestReporter;
