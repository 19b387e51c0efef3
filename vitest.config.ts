import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The longest files, with the seconds they took in CI. A fresh clone has no vitest cache, so vitest would start
 * the largest files first and could end the run on one of these alone; they start first, longest first.
 */
const LONG_FILES: Record<string, number> = {
  "test/core/permissions.test.ts": 120,
  "test/faults/crash-restart.test.ts": 85,
  "test/faults/replicas.test.ts": 78,
  "test/local/browser-trial.test.ts": 64,
  "test/faults/platform-failures.test.ts": 55,
  "test/app/main.test.ts": 41,
  "test/core/tasters/tasters.test.ts": 39,
  "test/db/migrations.test.ts": 35,
  "test/local/browser.test.ts": 34,
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
