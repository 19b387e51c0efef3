import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  parseScheduleWords,
  parseWhenWords,
  plainSchedule,
  scheduleExamples,
  scheduleInWords,
  scheduleOfTiming,
  timingOf,
  type PlainSchedule,
} from "../../../src/prompts/schedule-words.ts";
import { nextSlotAfter, scheduleProblem } from "../../../src/prompts/rules.ts";

const time = { hour: fc.integer({ min: 0, max: 23 }), minute: fc.integer({ min: 0, max: 59 }) };
const weekday = fc.integer({ min: 0, max: 6 });
const anySchedule: fc.Arbitrary<PlainSchedule> = fc.oneof(
  fc.record({ kind: fc.constant("weekly" as const), weekday, everyOther: fc.boolean(), ...time }),
  fc.record({ kind: fc.constant("weekdays" as const), ...time }),
  fc.record({ kind: fc.constant("monthly" as const), nth: fc.integer({ min: 1, max: 4 }), weekday, ...time }),
  fc
    .record({ kind: fc.constant("once" as const), day: fc.integer({ min: 1, max: 31 }), month: fc.integer({ min: 1, max: 12 }), ...time })
    .filter((s) => plainSchedule.safeParse(s).success),
);

describe("schedules in plain words", () => {
  it("reads the examples it shows, and says each back in words, never as a cron line", () => {
    const read = scheduleExamples.map((words) => parseWhenWords(words));
    expect(read.map((r) => r?.schedule)).toEqual([
      { kind: "weekly", weekday: 1, everyOther: false, hour: 10, minute: 0 },
      { kind: "weekly", weekday: 1, everyOther: true, hour: 10, minute: 30 },
      { kind: "monthly", nth: 1, weekday: 2, hour: 9, minute: 0 },
      { kind: "weekdays", hour: 16, minute: 0 },
      { kind: "once", day: 12, month: 1, hour: 10, minute: 0 },
      { kind: "weekly", weekday: 1, everyOther: false, hour: 10, minute: 0 },
      { kind: "weekly", weekday: 1, everyOther: false, hour: 10, minute: 0 },
    ]);
    expect(read.map((r) => scheduleInWords(r!.schedule, r!.timeZone, r!.localTime))).toEqual([
      "Every Monday at 10:00, London time",
      "Every other Monday at 10:30, London time",
      "The first Tuesday of each month at 09:00, London time",
      "Every weekday (Monday to Friday) at 16:00, London time",
      "Once, on 12 January at 10:00, London time",
      "Every Monday at 10:00, wherever each person is",
      "Every Monday at 10:00, London time",
    ]);
  });

  it("reads the small ways people vary it, and nothing it cannot be sure of", () => {
    expect(parseScheduleWords("Mondays at 10am")).toMatchObject({ kind: "weekly", weekday: 1, hour: 10 });
    expect(parseScheduleWords("every fortnight on Friday at 2:15 pm")).toMatchObject({ kind: "weekly", weekday: 5, everyOther: true, hour: 14, minute: 15 });
    expect(parseScheduleWords("the 2nd Wednesday of every month at noon")).toMatchObject({ kind: "monthly", nth: 2, weekday: 3, hour: 12 });
    for (const bad of ["whenever", "every Monday", "every Moonday at 10", "at 25:00", "once on 31 February at 10", "every day at 10", "0 10 * * 1", "13pm"]) {
      expect(parseScheduleWords(bad), bad).toBeNull();
    }
  });

  it("reads whose clock: each person's own, or a named place's", () => {
    for (const local of ["every Monday at 10 wherever each person is", "Mondays at 10am, wherever they are", "every Monday at 10 in each person's own time", "weekdays at 4:15 pm local time"]) {
      expect(parseWhenWords(local), local).toMatchObject({ localTime: true });
    }
    expect(parseWhenWords("every Monday at 10 New York time")).toMatchObject({ localTime: false, timeZone: "America/New_York" });
    expect(parseWhenWords("weekdays at 4:15 pm, Tokyo time")).toEqual({ schedule: { kind: "weekdays", hour: 16, minute: 15 }, localTime: false, timeZone: "Asia/Tokyo" });
    expect(parseWhenWords("every Monday at 10")).toEqual({ schedule: { kind: "weekly", weekday: 1, everyOther: false, hour: 10, minute: 0 } });
    for (const bad of ["every Monday at 10 Narnia time", "every Monday at 10 whenever", "wherever each person is"]) expect(parseWhenWords(bad), bad).toBeNull();
  });

  it("round-trips: schedule -> words -> schedule, and schedule -> stored timing -> schedule", () => {
    fc.assert(
      fc.property(anySchedule, fc.constantFrom("Europe/London", "Europe/Dublin"), (schedule, zone) => {
        expect(parseScheduleWords(scheduleInWords(schedule, zone))).toEqual(schedule);
        expect(parseWhenWords(scheduleInWords(schedule, zone))).toEqual({ schedule, localTime: false, timeZone: zone });
        expect(parseWhenWords(scheduleInWords(schedule, zone, true))).toEqual({ schedule, localTime: true });
        expect(scheduleOfTiming(timingOf(schedule))).toEqual(schedule);
      }),
      { numRuns: 500 },
    );
  });

  it("stores every schedule as a timing the series can run: no gap under a day, slots on the right days", () => {
    const from = new Date("2026-03-02T09:00:00Z");
    fc.assert(
      fc.property(anySchedule, (schedule) => {
        const timing = timingOf(schedule);
        expect(scheduleProblem({ ...timing, timeZone: "Europe/London" }, from)).toBeNull();
      }),
      { numRuns: 40 },
    );
  });

  it("sends every other Monday two weeks apart, in London time across the clock change", () => {
    const timing = { ...timingOf(parseScheduleWords("every other Monday at 10:30")!), timeZone: "Europe/London" };
    const first = nextSlotAfter(timing, new Date("2026-03-02T09:00:00Z"));
    const second = nextSlotAfter(timing, first);
    const third = nextSlotAfter(timing, second);
    expect(first.getUTCDay()).toBe(1);
    expect((second.getTime() - first.getTime()) / 86_400_000).toBeCloseTo(14, 1);
    expect(Math.round((third.getTime() - second.getTime()) / 86_400_000)).toBe(14);
    const local = (d: Date) => d.toLocaleTimeString("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit" });
    expect([first, second, third].map(local)).toEqual(["10:30", "10:30", "10:30"]);
  });
});
