import { describe, expect, it } from "vitest";
import {
  offerCandidates,
  offerWindow,
  placesLeft,
  signupOutcome,
  signupRefusal,
  tasterSchedule,
  waitingQueue,
  waitlistPosition,
} from "../../../src/tasters/rules.ts";

const at = (iso: string) => new Date(iso);
const signup = (id: string, status: string, queuedAt: string, personId = `p-${id}`) => ({ id, personId, status, queuedAt: at(queuedAt) });

describe("taster rules", () => {
  it("sets the reminder a day before the start and the follow-up two hours after the end", () => {
    const s = tasterSchedule({ startsAt: at("2026-03-10T14:00:00Z"), endsAt: at("2026-03-10T16:00:00Z") });
    expect(s.reminderDueAt).toEqual(at("2026-03-09T14:00:00Z"));
    expect(s.followUpDueAt).toEqual(at("2026-03-10T18:00:00Z"));
  });

  it("counts booked and offered places as taken", () => {
    const list = [signup("a", "booked", "2026-03-01T10:00Z"), signup("b", "offered", "2026-03-01T10:01Z"), signup("c", "waitlisted", "2026-03-01T10:02Z"), signup("d", "cancelled", "2026-03-01T10:03Z")];
    expect(placesLeft(3, list)).toBe(1);
    expect(placesLeft(1, list)).toBe(0);
  });

  it("books while places are free and nobody waits, otherwise waitlists", () => {
    expect(signupOutcome(2, [signup("a", "booked", "2026-03-01T10:00Z")])).toBe("booked");
    expect(signupOutcome(1, [signup("a", "booked", "2026-03-01T10:00Z")])).toBe("waitlisted");
    // A free place with people waiting goes to them, not to a newcomer.
    expect(signupOutcome(2, [signup("a", "booked", "2026-03-01T10:00Z"), signup("b", "waitlisted", "2026-03-01T10:01Z")])).toBe("waitlisted");
  });

  it("keeps the waiting list in the order people joined it", () => {
    const list = [signup("late", "waitlisted", "2026-03-01T12:00Z"), signup("early", "waitlisted", "2026-03-01T09:00Z"), signup("x", "booked", "2026-03-01T08:00Z")];
    expect(waitingQueue(list).map((s) => s.id)).toEqual(["early", "late"]);
    expect(waitlistPosition(list, "late")).toBe(2);
    expect(waitlistPosition(list, "x")).toBe(0);
  });

  it("offers places in queue order, passing over people who paused messages and those it is too late for", () => {
    const list = [signup("a", "waitlisted", "2026-03-01T09:00Z"), signup("b", "waitlisted", "2026-03-01T10:00Z"), signup("c", "booked", "2026-03-01T08:00Z")];
    const startsAt = new Date("2026-03-05T10:00:00Z");
    const now = new Date("2026-03-02T09:00:00Z");
    const ids = (sendAt: (personId: string) => Date | null) => offerCandidates(list, sendAt, { holdHours: 24, startsAt }).map((c) => c.next.id);
    expect(ids(() => now)).toEqual(["a", "b"]);
    expect(offerCandidates(list, () => now, { holdHours: 24, startsAt })[0]!.window.expiresAt).toEqual(new Date("2026-03-03T09:00:00Z"));
    expect(ids((p) => (p === "p-a" ? null : now))).toEqual(["b"]);
    expect(ids((p) => (p === "p-a" ? now : startsAt))).toEqual(["a"]);
  });

  it("holds an offer for the hold time, but never past an hour before the start", () => {
    const startsAt = at("2026-03-10T14:00:00Z");
    expect(offerWindow({ sendAt: at("2026-03-05T10:00:00Z"), holdHours: 24, startsAt })?.expiresAt).toEqual(at("2026-03-06T10:00:00Z"));
    expect(offerWindow({ sendAt: at("2026-03-10T08:00:00Z"), holdHours: 24, startsAt })?.expiresAt).toEqual(at("2026-03-10T13:00:00Z"));
    expect(offerWindow({ sendAt: at("2026-03-10T13:30:00Z"), holdHours: 24, startsAt })).toBeNull();
  });

  it("refuses sign-ups for cancelled, started, or other-audience sessions", () => {
    const taster = { cancelledAt: null, startsAt: at("2026-03-10T14:00:00Z"), audienceRoles: ["expert_by_experience" as const] };
    const now = at("2026-03-05T10:00:00Z");
    expect(signupRefusal(taster, "expert_by_experience", now)).toBeNull();
    expect(signupRefusal(taster, "commissioner", now)).toBe("wrong_role");
    expect(signupRefusal({ ...taster, audienceRoles: [] }, "commissioner", now)).toBeNull();
    expect(signupRefusal(taster, "expert_by_experience", at("2026-03-10T14:00:00Z"))).toBe("started");
    expect(signupRefusal({ ...taster, cancelledAt: now }, "expert_by_experience", now)).toBe("cancelled");
  });
});
