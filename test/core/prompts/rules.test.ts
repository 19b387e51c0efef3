import { describe, expect, it } from "vitest";
import {
  anonymousStamp,
  decideDelivery,
  decideReminder,
  latestSlotAtOrBefore,
  nextSlotAfter,
  planOccurrence,
  rolesThatMayShow,
  scheduleProblem,
} from "../../../src/prompts/rules.ts";
import type { Decision, HoldReason } from "../../../src/gate.ts";
import { nextAllowedTime } from "../../../src/time.ts";

const london = { timeZone: "Europe/London", quietStart: 21 * 60, quietEnd: 8 * 60 };
const mondays = { cron: "0 10 * * 1", timeZone: "Europe/London" };
/** What the gate says for someone who may be messaged: from the end of their quiet hours. */
const allowed = (now: Date, quiet = london): Decision => ({ send: true, at: nextAllowedTime(now, quiet), timeZone: quiet.timeZone });
const held = (reason: HoldReason): Decision => ({ send: false, reason });

describe("slots in a time zone", () => {
  it("keeps 10am local across the change to summer time", () => {
    expect(nextSlotAfter(mondays, new Date("2026-03-16T10:00:00Z")).toISOString()).toBe("2026-03-23T10:00:00.000Z");
    // British Summer Time starts on 29 March: 10am is now 09:00 UTC.
    expect(nextSlotAfter(mondays, new Date("2026-03-23T10:00:00Z")).toISOString()).toBe("2026-03-30T09:00:00.000Z");
  });

  it("follows the person's own zone, not the server's", () => {
    const newYork = { cron: "0 9 * * *", timeZone: "America/New_York" };
    expect(nextSlotAfter(newYork, new Date("2026-03-07T15:00:00Z")).toISOString()).toBe("2026-03-08T13:00:00.000Z");
  });

  it("finds a slot exactly at now as the latest slot", () => {
    expect(latestSlotAtOrBefore(mondays, new Date("2026-03-09T10:00:00Z"))?.toISOString()).toBe("2026-03-09T10:00:00.000Z");
  });

  it("explains what is wrong with a schedule", () => {
    const now = new Date("2026-03-02T09:00:00Z");
    expect(scheduleProblem(mondays, now)).toBeNull();
    expect(scheduleProblem({ cron: "every monday", timeZone: "Europe/London" }, now)).toBe("bad_cron");
    expect(scheduleProblem({ cron: "0 10 30 2 *", timeZone: "Europe/London" }, now)).toBe("bad_cron");
    expect(scheduleProblem({ cron: "0 10 * * 1", timeZone: "Mars/Olympus" }, now)).toBe("bad_time_zone");
    expect(scheduleProblem({ cron: "0 * * * *", timeZone: "Europe/London" }, now)).toBe("too_often");
  });
});

describe("catching up after downtime", () => {
  const series = { ...mondays, closeAfterHours: 7 * 24, nextOccurrenceAt: new Date("2026-03-02T10:00:00Z") };

  it("sends only the latest missed slot that is still open", () => {
    // Down from 2 March to 20 March: slots on 2, 9 and 16 March were missed.
    const plan = planOccurrence(series, new Date("2026-03-20T12:00:00Z"));
    expect(plan).toEqual({
      kind: "create",
      scheduledFor: new Date("2026-03-16T10:00:00Z"),
      closesAt: new Date("2026-03-23T10:00:00Z"),
      nextOccurrenceAt: new Date("2026-03-23T10:00:00Z"),
    });
  });

  it("sends nothing when every missed slot has closed, and moves on", () => {
    const plan = planOccurrence({ ...series, closeAfterHours: 24 }, new Date("2026-03-20T12:00:00Z"));
    expect(plan).toEqual({ kind: "skip", nextOccurrenceAt: new Date("2026-03-23T10:00:00Z") });
  });

  it("does nothing before the slot", () => {
    expect(planOccurrence(series, new Date("2026-03-02T09:59:00Z"))).toEqual({ kind: "not_due" });
    expect(planOccurrence({ ...series, nextOccurrenceAt: null }, new Date("2026-03-20T12:00:00Z"))).toEqual({ kind: "not_due" });
  });

  it("sends the slot itself when on time", () => {
    const plan = planOccurrence(series, new Date("2026-03-02T10:00:00Z"));
    expect(plan).toMatchObject({ kind: "create", scheduledFor: new Date("2026-03-02T10:00:00Z"), nextOccurrenceAt: new Date("2026-03-09T10:00:00Z") });
  });
});

describe("sending and quiet hours", () => {
  const base = { closesAt: new Date("2026-03-09T10:00:00Z"), active: true, reminderAfterHours: 48, maxReminders: 1 };
  const at = (now: Date, quiet = london) => ({ ...base, now, gate: allowed(now, quiet) });

  it("sends outside quiet hours and plans the first reminder", () => {
    const decision = decideDelivery(at(new Date("2026-03-02T10:00:00Z")));
    expect(decision).toEqual({ kind: "send", nextReminderAt: new Date("2026-03-04T10:00:00Z") });
  });

  it("waits until quiet hours end", () => {
    const decision = decideDelivery(at(new Date("2026-03-02T22:15:00Z")));
    expect(decision).toEqual({ kind: "defer", until: new Date("2026-03-03T08:00:00Z") });
  });

  it("waits in the person's own time zone", () => {
    // 13:00 UTC is 08:00 in New York, the end of their quiet hours.
    const quiet = { ...london, timeZone: "America/New_York" };
    expect(decideDelivery(at(new Date("2026-03-02T11:00:00Z"), quiet))).toEqual({ kind: "defer", until: new Date("2026-03-02T13:00:00Z") });
  });

  it("does not send to people the gate holds back, nor for a paused series, nor after closing", () => {
    const now = new Date("2026-03-02T10:00:00Z");
    for (const reason of ["paused", "no_consent", "not_a_member", "opted_out"] as const) {
      expect(decideDelivery({ ...base, now, gate: held(reason) })).toEqual({ kind: "skip", reason });
    }
    expect(decideDelivery({ ...at(now), active: false })).toEqual({ kind: "skip", reason: "series_paused" });
    expect(decideDelivery(at(new Date("2026-03-09T10:00:00Z")))).toEqual({ kind: "closed" });
  });

  it("gives up rather than send after closing when quiet hours run past it", () => {
    const decision = decideDelivery({ ...at(new Date("2026-03-02T22:00:00Z")), closesAt: new Date("2026-03-03T07:00:00Z") });
    expect(decision).toEqual({ kind: "closed" });
  });
});

describe("reminders", () => {
  const now = new Date("2026-03-04T10:00:00Z");
  const base = { now, closesAt: new Date("2026-03-09T10:00:00Z"), active: true, remindersSent: 0, reminderAfterHours: 48, gate: allowed(now) };

  it("stops at the series' limit (the person's own limit is the gate's)", () => {
    expect(decideReminder({ ...base, maxReminders: 2 })).toEqual({ kind: "send", number: 1, nextReminderAt: new Date("2026-03-06T10:00:00Z") });
    expect(decideReminder({ ...base, remindersSent: 1, maxReminders: 2 })).toEqual({ kind: "send", number: 2, nextReminderAt: null });
    expect(decideReminder({ ...base, remindersSent: 1, maxReminders: 1 })).toEqual({ kind: "stop" });
    expect(decideReminder({ ...base, maxReminders: 0 })).toEqual({ kind: "stop" });
    expect(decideReminder({ ...base, maxReminders: 3, gate: held("reminder_limit") })).toEqual({ kind: "stop" });
  });

  it("plans no reminder that would come after closing", () => {
    expect(decideReminder({ ...base, maxReminders: 3, closesAt: new Date("2026-03-05T10:00:00Z") })).toEqual({ kind: "send", number: 1, nextReminderAt: null });
  });

  it("waits out quiet hours, and stops for paused people, a paused series or closed questions", () => {
    const early = new Date("2026-03-04T06:00:00Z");
    expect(decideReminder({ ...base, maxReminders: 1, now: early, gate: allowed(early) })).toEqual({ kind: "defer", until: new Date("2026-03-04T08:00:00Z") });
    expect(decideReminder({ ...base, maxReminders: 1, gate: held("paused") })).toEqual({ kind: "stop" });
    expect(decideReminder({ ...base, maxReminders: 1, gate: held("opted_out") })).toEqual({ kind: "stop" });
    expect(decideReminder({ ...base, maxReminders: 1, active: false })).toEqual({ kind: "stop" });
    expect(decideReminder({ ...base, maxReminders: 1, now: base.closesAt })).toEqual({ kind: "stop" });
  });
});

describe("which roles anonymous answers may keep", () => {
  const MIN = 5;
  const asked = (counts: Record<string, number>) => new Map(Object.entries(counts));

  it("keeps a role only with enough people, and hides the next smallest with a small one", () => {
    expect(rolesThatMayShow(asked({ expert: 6, professional: 5 }), MIN)).toEqual(new Set(["expert", "professional"]));
    // Two commissioners alone would be "someone" = a commissioner: the smallest big role hides with them.
    expect(rolesThatMayShow(asked({ expert: 6, professional: 5, commissioner: 2 }), MIN)).toEqual(new Set(["expert"]));
    expect(rolesThatMayShow(asked({ expert: 9, professional: 3, commissioner: 2 }), MIN)).toEqual(new Set(["expert"]));
    expect(rolesThatMayShow(asked({ expert: 4 }), MIN)).toEqual(new Set());
    expect(rolesThatMayShow(asked({ expert: 3, professional: 1 }), MIN)).toEqual(new Set());
  });

  it("never lets a label, a role or \"someone\", stand for fewer than MIN people, for every mix of up to 4 roles of 0 to 8 people", () => {
    const roles = ["a", "b", "c", "d"];
    let checked = 0;
    for (let code = 0; code < 9 ** roles.length; code++) {
      const counts = Object.fromEntries(roles.map((r, i) => [r, Math.floor(code / 9 ** i) % 9]));
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      const kept = rolesThatMayShow(asked(counts), MIN);
      const someone = roles.filter((r) => !kept.has(r)).reduce((sum, r) => sum + counts[r]!, 0);
      for (const r of kept) expect(counts[r]).toBeGreaterThanOrEqual(MIN);
      if (total >= MIN) expect(someone === 0 || someone >= MIN, JSON.stringify(counts)).toBe(true);
      else expect(kept.size).toBe(0);
      // Nothing is hidden that did not need to be: with no small group, every role shows.
      if (roles.every((r) => counts[r] === 0 || counts[r]! >= MIN)) expect(kept.size).toBe(roles.filter((r) => counts[r]! > 0).length);
      checked++;
    }
    expect(checked).toBe(6561);
  });

  it("dates an anonymous answer by the day its questions were asked", () => {
    expect(anonymousStamp(new Date("2026-03-02T10:00:00Z")).toISOString()).toBe("2026-03-02T00:00:00.000Z");
  });
});
