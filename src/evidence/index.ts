/** The evidence loop: exports for the evaluation team, in chat and over HTTP. */
export { evidenceFeature } from "./feature.ts";
export { exportRoute } from "./endpoint.ts";
export { startExport } from "./exports.ts";
export { CODEBOOK, type ExportKind } from "./codebook.ts";
export { CHAT_FILE_LIMIT_BYTES, pseudonym } from "./rules.ts";
export { checkExportToken } from "./tokens.ts";
export { exportText } from "./catalogue.ts";
export { ExportPeople } from "./people.ts";
