/** The tasters loop: what other loops, adapters and tests may use. */
export { tastersFeature } from "./feature.ts";
export { createTaster, cancelSession, type SessionCancelled } from "./sessions.ts";
export { signUp, cancelPlace, type SignupResult } from "./places.ts";
export { type TasterInput } from "./input.ts";
export { placesLeft } from "./rules.ts";
export { roleList, offerHoldHoursField } from "./input.ts";
export { audienceText, offerHoldInput } from "./catalogue.ts";
export { DEFAULT_OFFER_HOLD_HOURS, holdsPlace, offerCandidates, signupOutcome, waitingQueue, waitlistPosition } from "./rules.ts";
