/** The panels loop: what other loops, adapters and tests may use. */
export { panelsFeature, MEMBERS_INPUT } from "./feature.ts";
export { createPanel, setUpPanel, type PanelInput, type PanelCreated } from "./setup.ts";
export { panelSummaryFor } from "./debriefs.ts";
export { createLearningSet, endLearningSet, joinLearningSet, leaveLearningSet, type SetInput } from "./sets.ts";
export { changeLearningSet, type SetChangeInput } from "./set-changes.ts";
export { setViews } from "./sets.ts";
export { acceptSetOffer, declineSetOffer, sweepSetOffers } from "./set-offers.ts";
