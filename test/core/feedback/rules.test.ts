import { describe, expect, it } from "vitest";
import { DAY, HOUR } from "../../../src/clock.ts";
import {
  ALLOWED_TRANSITIONS,
  checkTransition,
  coOwnedShare,
  coOwnershipProblem,
  FEEDBACK_STATUSES,
  firstNudgeCheck,
  isOverdue,
  planNudge,
  stampsForChange,
  timeToFirstResponseHours,
  type NudgeItem,
} from "../../../src/feedback/rules.ts";

const t0 = new Date("2026-03-02T09:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

describe("status transitions", () => {
  it("allows the path received -> considering -> agreed -> done, and not_possible from any open status", () => {
    expect(checkTransition("received", "considering")).toEqual({ ok: true });
    expect(checkTransition("considering", "agreed")).toEqual({ ok: true });
    expect(checkTransition("agreed", "done")).toEqual({ ok: true });
    for (const from of ["received", "considering", "agreed"] as const) {
      expect(checkTransition(from, "not_possible", "No money this year")).toEqual({ ok: true });
    }
  });

  it("refuses skipping to done, going back, leaving a closed status, and staying put", () => {
    expect(checkTransition("received", "done")).toEqual({ ok: false, problem: "not_allowed" });
    expect(checkTransition("agreed", "considering")).toEqual({ ok: false, problem: "not_allowed" });
    expect(checkTransition("done", "agreed")).toEqual({ ok: false, problem: "not_allowed" });
    expect(checkTransition("not_possible", "considering")).toEqual({ ok: false, problem: "not_allowed" });
    expect(checkTransition("considering", "considering")).toEqual({ ok: false, problem: "same" });
  });

  it("needs a reason in words for not_possible", () => {
    expect(checkTransition("considering", "not_possible")).toEqual({ ok: false, problem: "reason_needed" });
    expect(checkTransition("considering", "not_possible", "   ")).toEqual({ ok: false, problem: "reason_needed" });
  });

  it("never lets anything go back to received", () => {
    for (const from of FEEDBACK_STATUSES) expect(ALLOWED_TRANSITIONS[from]).not.toContain("received");
  });

  it("stamps the first answer once, and the close on done or not_possible", () => {
    expect(stampsForChange({ firstRespondedAt: null, closedAt: null }, "considering", t0)).toEqual({ firstRespondedAt: t0 });
    expect(stampsForChange({ firstRespondedAt: t0, closedAt: null }, "agreed", at(DAY))).toEqual({});
    expect(stampsForChange({ firstRespondedAt: t0, closedAt: null }, "done", at(DAY))).toEqual({ closedAt: at(DAY) });
    expect(stampsForChange({ firstRespondedAt: null, closedAt: null }, "not_possible", at(HOUR))).toEqual({ firstRespondedAt: at(HOUR), closedAt: at(HOUR) });
  });
});

describe("nudge timing", () => {
  const owned = (over: Partial<NudgeItem> = {}): NudgeItem => ({
    status: "considering",
    ownerId: "owner",
    dueAt: at(7 * DAY),
    createdAt: t0,
    nextNudgeAt: at(7 * DAY),
    ...over,
  });

  it("first looks at an owned item on its due date, and at an unowned one after a week", () => {
    expect(firstNudgeCheck({ status: "received", ownerId: "o", dueAt: at(3 * DAY), createdAt: t0 })).toEqual(at(3 * DAY));
    expect(firstNudgeCheck({ status: "received", ownerId: null, dueAt: null, createdAt: t0 })).toEqual(at(7 * DAY));
    expect(firstNudgeCheck({ status: "done", ownerId: null, dueAt: null, createdAt: t0 })).toBeNull();
  });

  it("waits until the due date, then nudges the owner and looks again after the interval", () => {
    expect(planNudge(owned(), at(6 * DAY), 72)).toEqual({ send: null, nextNudgeAt: at(7 * DAY) });
    const now = at(7 * DAY + HOUR);
    expect(planNudge(owned(), now, 72)).toEqual({ send: "owner", nextNudgeAt: at(7 * DAY + HOUR + 72 * HOUR) });
  });

  it("does not nudge again before the interval has passed, then does", () => {
    const after = owned({ nextNudgeAt: at(10 * DAY) });
    expect(planNudge(after, at(9 * DAY), 72)).toEqual({ send: null, nextNudgeAt: at(10 * DAY) });
    expect(planNudge(after, at(10 * DAY), 72).send).toBe("owner");
  });

  it("nudges an overdue owned item whose next nudge was never set", () => {
    expect(planNudge(owned({ nextNudgeAt: null }), at(8 * DAY), 24)).toEqual({ send: "owner", nextNudgeAt: at(9 * DAY) });
  });

  it("tells facilitators once about an item nobody took on for a week", () => {
    const unowned = owned({ ownerId: null, dueAt: null, nextNudgeAt: at(7 * DAY) });
    expect(planNudge(unowned, at(6 * DAY), 72)).toEqual({ send: null, nextNudgeAt: at(7 * DAY) });
    expect(planNudge(unowned, at(7 * DAY), 72)).toEqual({ send: "facilitators", nextNudgeAt: null });
  });

  it("never nudges about closed items", () => {
    expect(planNudge(owned({ status: "done" }), at(30 * DAY), 72)).toEqual({ send: null, nextNudgeAt: null });
    expect(planNudge(owned({ status: "not_possible", ownerId: null }), at(30 * DAY), 72)).toEqual({ send: null, nextNudgeAt: null });
  });

  it("calls an open item overdue from its due date, and a closed one never", () => {
    expect(isOverdue({ status: "agreed", dueAt: t0 }, t0)).toBe(true);
    expect(isOverdue({ status: "agreed", dueAt: at(HOUR) }, t0)).toBe(false);
    expect(isOverdue({ status: "done", dueAt: t0 }, at(DAY))).toBe(false);
    expect(isOverdue({ status: "received", dueAt: null }, at(DAY))).toBe(false);
  });
});

describe("measures for the digest", () => {
  it("gives the hours to a first answer, or null while nobody has answered", () => {
    expect(timeToFirstResponseHours({ createdAt: t0, firstRespondedAt: at(30 * HOUR) })).toBe(30);
    expect(timeToFirstResponseHours({ createdAt: t0, firstRespondedAt: null })).toBeNull();
  });

  it("says why owners are not a joint team", () => {
    expect(coOwnershipProblem(["commissioner", "professional"])).toBe("needs_lived_experience");
    expect(coOwnershipProblem(["expert_by_experience", "expert_by_experience"])).toBe("needs_professional");
    expect(coOwnershipProblem(["expert_by_experience", "evaluator"])).toBe("needs_professional");
    expect(coOwnershipProblem(["expert_by_experience", "facilitator"])).toBeNull();
  });

  it("gives the share of done actions that are co-owned", () => {
    expect(coOwnedShare([])).toBeNull();
    expect(coOwnedShare([{ status: "open", ownerRoles: ["expert_by_experience", "commissioner"] }])).toBeNull();
    expect(
      coOwnedShare([
        { status: "done", ownerRoles: ["expert_by_experience", "commissioner"] },
        { status: "done", ownerRoles: ["commissioner"] },
        { status: "done", ownerRoles: ["professional", "expert_by_experience"] },
        { status: "done", ownerRoles: ["facilitator"] },
        { status: "dropped", ownerRoles: ["expert_by_experience", "commissioner"] },
      ]),
    ).toBe(0.5);
  });
});
