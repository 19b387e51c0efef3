import type { Block } from "../messages/model.ts";

/** Sentences about dates and calendar invites, shared by tasters and panels. */
export const calendarText = {
  badTime: (label: string) => `Please write "${label}" as a date and time, like 2026-03-10 14:00.`,
  addToCalendar: "Add it to my calendar",
  removeFromCalendar: "Remove it from my calendar",
};

/** A calendar invite attached to a message. */
export function inviteFile(filename: string, content: string, label = calendarText.addToCalendar): Block {
  return { kind: "file", filename, mimeType: "text/calendar", content, label };
}
