/** The coding loop: the code book, codes given to answers, ideas, debriefs and member-check comments, and codes brought in from files. */
export { codingFeature } from "./feature.ts";
export { codeImportRoute } from "./endpoint.ts";
export { codesFor, codeCounts, codeExportRows, type CodeCount } from "./reads.ts";
export { frameworkCodes, joinCodes } from "./rules.ts";
export { codeButton } from "./catalogue.ts";
