/** Calendar invites and session times: shared machinery for tasters and panels (no sentences: each loop brings its own words). */
export { calendarInvite, eventUid, type CalendarEvent } from "./ics.ts";
export { parseWhen, whenField, whenText } from "./when.ts";
export { inviteFile } from "./invite-file.ts";
