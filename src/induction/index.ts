/** The induction for late joiners: what other loops, the core and tests may use. */
export { inductionFeature } from "./feature.ts";
export { sweepInduction } from "./sweep.ts";
export { dueStep, inductionScope, STEPS, WINDOW_MS, MIN_GAP_MS, type InductionState } from "./rules.ts";
export { inductionText } from "./catalogue.ts";
