/**
 * Calendar invites (RFC 5545 iCalendar), built as text. Pure: every value,
 * including the time stamp, is passed in.
 */

export type CalendarEvent = {
  /** Stable for the event, so a second invite updates the first in people's calendars. */
  uid: string;
  start: Date;
  end: Date;
  /** When this invite was made (DTSTAMP). */
  stamp: Date;
  summary: string;
  description?: string;
  location?: string;
  url?: string;
  /** Raised each time the event changes; a cancellation must be higher than the invite it cancels. */
  sequence?: number;
  cancelled?: boolean;
};

const CRLF = "\r\n";
const MAX_OCTETS = 75;

/** Stable ids for the things wesaid invites people to. */
export function eventUid(kind: "taster" | "panel", id: string): string {
  return `${kind}-${id}@wesaid`;
}

/** 2026-03-10T14:00:00.000Z -> 20260310T140000Z */
export function formatUtc(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

/** TEXT values: backslash, semicolon and comma are escaped, and line breaks become \n. */
export function escapeText(value: string): string {
  return stripControls(value)
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

// Control characters other than tab and line breaks are not allowed in iCalendar text.
function stripControls(value: string): string {
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "");
}

/**
 * Splits a content line so that no line is longer than 75 octets, each
 * continuation starting with one space. Never splits inside a UTF-8 character.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, "utf8");
    const limit = parts.length === 0 ? MAX_OCTETS : MAX_OCTETS - 1;
    if (octets + size > limit) {
      parts.push(current);
      current = "";
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

/** The whole .ics file: CRLF line endings, folded lines, escaped text. */
export function calendarInvite(event: CalendarEvent): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//wesaid//wesaid//EN",
    "CALSCALE:GREGORIAN",
    `METHOD:${event.cancelled ? "CANCEL" : "PUBLISH"}`,
    "BEGIN:VEVENT",
    `UID:${escapeText(event.uid)}`,
    `DTSTAMP:${formatUtc(event.stamp)}`,
    `SEQUENCE:${event.sequence ?? 0}`,
    `DTSTART:${formatUtc(event.start)}`,
    `DTEND:${formatUtc(event.end)}`,
    `SUMMARY:${escapeText(event.summary)}`,
    event.description ? `DESCRIPTION:${escapeText(event.description)}` : null,
    event.location ? `LOCATION:${escapeText(event.location)}` : null,
    // URL is a URI value, not TEXT: it is not escaped, but it must stay on one logical line.
    event.url ? `URL:${stripControls(event.url).replace(/[\r\n]/g, "")}` : null,
    `STATUS:${event.cancelled ? "CANCELLED" : "CONFIRMED"}`,
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return lines.filter((l): l is string => l !== null).map(foldLine).join(CRLF) + CRLF;
}
