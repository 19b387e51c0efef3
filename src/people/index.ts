/** The people loop: what other loops, adapters, the core and tests may use. Nothing else in this folder is public. */
export { peopleFeature } from "./feature.ts";
export { ensureIdentity, enrol, findActorIdentity, knownPeople, newcomer } from "./identities.ts";
export { setupProgramme, joinProgramme, leaveProgramme } from "./membership.ts";
export { inviteFor } from "./invitations.ts";
export { recordConsent, changeConsentWords, peopleWhoMayBeQuoted, peopleWhoAgreed } from "./consent.ts";
export { preferencesOf, setPaused, timeZoneOf, updatePreferences, type PreferencesInput } from "./preferences.ts";
export { DEFAULT_TIME_ZONE, noteDetectedZone, platformZone } from "./zones.ts";
export { recordContribution } from "./recognition.ts";
export { erasePerson } from "./erasure.ts";
/** The loop's sentences (the core's help and errors, and the adapters' render tests, read them). */
export * as peopleCatalogue from "./catalogue.ts";
/** One sentence per role, and the order roles are explained in (the induction explains them too). */
export { ROLE_EXPLAINED, WHO_IS_WHO } from "./together-catalogue.ts";
