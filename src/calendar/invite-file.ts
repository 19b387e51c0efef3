import type { Block } from "../messages/model.ts";

/** A calendar invite attached to a message; `label` (the loop's own words) is what the person clicks. */
export function inviteFile(filename: string, content: string, label: string): Block {
  return { kind: "file", filename, mimeType: "text/calendar", content, label };
}
