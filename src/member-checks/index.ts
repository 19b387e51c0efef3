/** Member checking: what other loops, adapters and tests may use. */
export { memberChecksFeature } from "./feature.ts";
export { askKey, checkBreakdown, checkState, verdictCounts, VERDICTS, type CheckFigures, type Verdict } from "./rules.ts";
export { askedByCheck } from "./asked.ts";
export { checksForDigest, type DigestCheck } from "./figures.ts";
