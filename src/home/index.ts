/** The home loop: a person's page of open questions, ideas, sessions and settings. */
export { homeFeature } from "./feature.ts";
