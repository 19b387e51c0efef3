/** The glossary loop: plain-English meanings of commissioning words and the frameworks' steps. */
export { glossaryFeature } from "./feature.ts";
export { lookUp, normalise } from "./rules.ts";
export { TERMS, type Term } from "./terms.ts";
