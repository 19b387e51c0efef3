import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The longest files, with the seconds they took in CI. A fresh clone has no vitest cache, so vitest would start
 * the largest files first and could end the run on one of these alone; they start first, longest first.
 */
const LONG_FILES: Record<string, number> = {
  "test/local/browser-trial.test.ts": 120,
  "test/core/permissions.test.ts": 74,
  "test/faults/replicas.test.ts": 64,
  "test/db/migrations.test.ts": 47,
  "test/faults/platform-failures.test.ts": 44,
  "test/local/browser.test.ts": 40,
  "test/core/retention/retention.test.ts": 37,
  "test/app/main.test.ts": 35,
  "test/faults/crash-restart.test.ts": 29,
};

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const seconds = (file: TestSpecification) => LONG_FILES[file.moduleId.slice(this.ctx.config.root.length + 1)] ?? 0;
    return (await super.sort(files)).sort((a, b) => seconds(b) - seconds(a));
  }
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file opens its own embedded database; two cores here.
    maxWorkers: 2,
    minWorkers: 1,
    sequence: { sequencer: LongestFirst },
  },
});
