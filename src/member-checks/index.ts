/** Member checking: what other loops, adapters and tests may use. */
export { memberChecksFeature } from "./feature.ts";
export { checkState, verdictCounts, VERDICTS, type Verdict } from "./rules.ts";
