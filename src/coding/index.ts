/** The coding loop: the code book, codes given to answers, ideas and debriefs, and codes brought in from files. */
export { codingFeature } from "./feature.ts";
export { codeImportRoute } from "./endpoint.ts";
export { codesFor, codeCounts, codeExportRows, type CodeCount } from "./reads.ts";
export { frameworkCodes, joinCodes } from "./rules.ts";
