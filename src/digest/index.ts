/** The digest loop: the weekly summary for the evaluation team. */
export { digestFeature } from "./feature.ts";
export { buildDigest } from "./build.ts";
export { digestCommandArgs, digestWeeksDue, median, scaleFigure } from "./rules.ts";
export { digestMessage } from "./catalogue.ts";
export type { DigestData, LoopMeasures, StageChanges, TrendPoint } from "./data.ts";
export { digestPageRoute } from "./route.ts";
