/** The feedback loop's public face: what other loops, adapters and tests may use. */
export { feedbackFeature } from "./feature.ts";
export { suggest, createItem, createItemFromAnswer, loadAnswer, type NewItem, type Answer, type AnswerRef } from "./items.ts";
export { assignOwner, changeStatus } from "./status.ts";
export { postUpdate, react, type Answered } from "./updates.ts";
export { createCoOwnedAction, setCoOwnedStatus, loadCoOwnedAction } from "./coowned.ts";
export { sweepNudges } from "./nudges.ts";
export { STATUS_WORDS, byRole } from "./catalogue.ts";
export { FEEDBACK_STATUSES, OPEN_STATUSES, type FeedbackStatus } from "./rules.ts";
