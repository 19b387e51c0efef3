/** Calendar invites and session times: shared machinery for tasters and panels. */
export { calendarInvite, eventUid, type CalendarEvent } from "./ics.ts";
export { parseWhen, whenField, whenText } from "./when.ts";
export { calendarText, inviteFile } from "./catalogue.ts";
