import { describe, expect, it } from "vitest";
import { formatWhen, inQuietHours, nextAllowedTime, parseClockTime, weekStart } from "../../src/time.ts";

describe("times people read", () => {
  it("writes times the way people say them, in their own time zone", () => {
    expect(formatWhen(new Date("2026-03-10T12:00:00Z"), "Europe/London")).toBe("Tuesday 10 March, 12pm");
    expect(formatWhen(new Date("2026-03-10T00:30:00Z"), "Europe/London")).toBe("Tuesday 10 March, 12:30am");
    expect(formatWhen(new Date("2026-07-10T13:30:00Z"), "Europe/London")).toBe("Friday 10 July, 2:30pm");
    expect(formatWhen(new Date("2026-07-10T13:30:00Z"), "America/New_York")).toBe("Friday 10 July, 9:30am");
  });

  it("reads 24-hour times and refuses anything else", () => {
    expect(parseClockTime("21:00")).toBe(1260);
    expect(parseClockTime("8.30")).toBe(510);
    expect(parseClockTime("9pm")).toBeNull();
    expect(parseClockTime("25:00")).toBeNull();
  });
});

describe("quiet hours", () => {
  const q = { timeZone: "Europe/London", quietStart: 21 * 60, quietEnd: 8 * 60 };

  it("cross midnight, in the person's time zone (summer time included)", () => {
    expect(inQuietHours(new Date("2026-01-10T22:00:00Z"), q)).toBe(true);
    expect(inQuietHours(new Date("2026-01-10T07:59:00Z"), q)).toBe(true);
    expect(inQuietHours(new Date("2026-01-10T08:00:00Z"), q)).toBe(false);
    // 07:30 UTC in July is 08:30 in London.
    expect(inQuietHours(new Date("2026-07-10T07:30:00Z"), q)).toBe(false);
  });

  it("say when a message may go out instead", () => {
    expect(nextAllowedTime(new Date("2026-01-10T22:15:00Z"), q).toISOString()).toBe("2026-01-11T08:00:00.000Z");
    expect(nextAllowedTime(new Date("2026-07-10T21:15:00Z"), q).toISOString()).toBe("2026-07-11T07:00:00.000Z");
    const noon = new Date("2026-01-10T12:00:00Z");
    expect(nextAllowedTime(noon, q)).toEqual(noon);
  });

  it("the week a digest covers starts on Monday", () => {
    expect(weekStart(new Date("2026-03-08T23:00:00Z")).toISOString()).toBe("2026-03-02T00:00:00.000Z");
    expect(weekStart(new Date("2026-03-09T00:00:00Z")).toISOString()).toBe("2026-03-09T00:00:00.000Z");
  });
});
