import { describe, expect, it } from "vitest";
import { parseWhen, whenText } from "../../../src/calendar/index.ts";

const at = (iso: string) => new Date(iso);

describe("session times", () => {
  it("reads dates typed in forms in the writer's time zone", () => {
    expect(parseWhen("2026-07-10 14:00", "Europe/London")).toEqual(at("2026-07-10T13:00:00Z"));
    expect(parseWhen("2026-01-10T14:00", "Europe/London")).toEqual(at("2026-01-10T14:00:00Z"));
    expect(parseWhen("2026-03-10 09:30", "America/New_York")).toEqual(at("2026-03-10T13:30:00Z"));
    expect(parseWhen("2026-03-10T14:00:00Z", "America/New_York")).toEqual(at("2026-03-10T14:00:00Z"));
    expect(parseWhen("1773151200", "Europe/London")).toEqual(new Date(1773151200 * 1000));
    expect(parseWhen("next tuesday", "Europe/London")).toBeNull();
    expect(parseWhen("2026-13-01 10:00", "Europe/London")).toBeNull();
    // The day the clocks go forward in the UK: 10:00 local is 09:00 UTC.
    expect(parseWhen("2026-03-29 10:00", "Europe/London")).toEqual(at("2026-03-29T09:00:00Z"));
  });

  it("writes a session's time as one day, or both days when it runs past midnight", () => {
    expect(whenText(at("2026-03-10T14:00:00Z"), at("2026-03-10T16:00:00Z"))).toBe("Tuesday 10 March, 2pm to 4pm");
    expect(whenText(at("2026-03-10T22:00:00Z"), at("2026-03-11T01:00:00Z"))).toBe("Tuesday 10 March, 10pm to Wednesday 11 March, 1am");
  });
});
