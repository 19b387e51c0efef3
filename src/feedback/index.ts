/** The feedback loop's public face: what other loops, adapters and tests may use. Everything else is internal. */
export { feedbackFeature } from "./feature.ts";
export { suggest, createItem, createItemFromAnswer, loadAnswer, type NewItem, type Answer, type AnswerRef } from "./items.ts";
export { assignOwner, changeStatus } from "./status.ts";
export { postUpdate, react, type Answered } from "./updates.ts";
export { createCoOwnedAction, loadCoOwnedAction, setCoOwnedStatus } from "./coowned.ts";
export { sweepNudges } from "./nudges.ts";
/** How a status reads to people (home page, digest, catch-up). */
export { STATUS_WORDS } from "./catalogue.ts";
export { isCoOwned } from "./rules.ts";
/** Support per idea ("This matters to me too"), for the digest and the ideas export. */
export { supportFor } from "./follows.ts";
