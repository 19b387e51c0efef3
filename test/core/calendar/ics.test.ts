import { describe, expect, it } from "vitest";
import { calendarInvite, escapeText, eventUid, foldLine, formatUtc } from "../../../src/calendar/ics.ts";

const event = {
  uid: eventUid("taster", "abc"),
  start: new Date("2026-03-10T14:00:00Z"),
  end: new Date("2026-03-10T16:00:00Z"),
  stamp: new Date("2026-03-02T09:00:00Z"),
  summary: "Art, music; and \\ more",
  description: "We will paint.\nBring nothing.",
  location: "Room 2, The Hub",
};

/** Undoes folding: a CRLF followed by one space joins two lines. */
const unfold = (ics: string) => ics.replace(/\r\n /g, "");

describe("calendar invites", () => {
  it("writes a VEVENT with a stable UID, UTC times, and CRLF line endings throughout", () => {
    const ics = calendarInvite(event);
    expect(ics.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    const lines = unfold(ics).split("\r\n");
    expect(lines).toContain("UID:taster-abc@wesaid");
    expect(lines).toContain("DTSTART:20260310T140000Z");
    expect(lines).toContain("DTEND:20260310T160000Z");
    expect(lines).toContain("DTSTAMP:20260302T090000Z");
    expect(lines).toContain("STATUS:CONFIRMED");
    expect(calendarInvite({ ...event, stamp: new Date("2026-03-03T00:00:00Z") })).toContain("UID:taster-abc@wesaid");
  });

  it("escapes commas, semicolons, backslashes and new lines in text", () => {
    expect(escapeText("a,b;c\\d\ne\r\nf")).toBe("a\\,b\\;c\\\\d\\ne\\nf");
    const lines = unfold(calendarInvite(event)).split("\r\n");
    expect(lines).toContain("SUMMARY:Art\\, music\\; and \\\\ more");
    expect(lines).toContain("DESCRIPTION:We will paint.\\nBring nothing.");
    expect(lines).toContain("LOCATION:Room 2\\, The Hub");
  });

  it("folds lines longer than 75 octets, without splitting a multi-byte character", () => {
    const long = "DESCRIPTION:" + "é".repeat(100) + "x".repeat(50);
    const folded = foldLine(long);
    const parts = folded.split("\r\n");
    expect(parts.length).toBeGreaterThan(2);
    for (const [i, part] of parts.entries()) {
      expect(Buffer.byteLength(part, "utf8")).toBeLessThanOrEqual(75);
      if (i > 0) expect(part.startsWith(" ")).toBe(true);
    }
    expect(folded.replace(/\r\n /g, "")).toBe(long);
    expect(parts.join("")).not.toContain("\uFFFD");
    expect(foldLine("SHORT:line")).toBe("SHORT:line");
    expect(foldLine("X".repeat(75))).toBe("X".repeat(75));
    expect(foldLine("X".repeat(76))).toBe("X".repeat(75) + "\r\n X");
  });

  it("keeps every physical line of a whole invite within 75 octets", () => {
    const ics = calendarInvite({ ...event, description: "A long description, with commas; and more. ".repeat(20), url: "https://meet.example.org/a-very-long-meeting-link?with=query&and=more&and=even-more-words" });
    for (const line of ics.split("\r\n")) expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
    expect(unfold(ics)).toContain("URL:https://meet.example.org/a-very-long-meeting-link?with=query&and=more&and=even-more-words");
  });

  it("marks a cancellation so calendars remove the event", () => {
    const ics = unfold(calendarInvite({ ...event, cancelled: true, sequence: 3 }));
    expect(ics).toContain("METHOD:CANCEL");
    expect(ics).toContain("STATUS:CANCELLED");
    expect(ics).toContain("SEQUENCE:3");
  });

  it("formats times in UTC", () => {
    expect(formatUtc(new Date("2026-07-01T12:34:56.789+01:00"))).toBe("20260701T113456Z");
  });
});
