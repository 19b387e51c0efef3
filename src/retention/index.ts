/** The retention loop: how long a programme's data is kept, and the sweep that deletes it. */
export { retentionFeature } from "./feature.ts";
export { sweepRetention } from "./sweep.ts";
export { applyRetention, type RetentionOutcome } from "./delete.ts";
export { retentionOf, setRetention } from "./settings.ts";
export { lastActivity } from "./activity.ts";
