import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, findForm, textOf, type TestPerson } from "../../support/world.ts";
import { checkState, verdictCounts } from "../../../src/member-checks/index.ts";
import { exportPersonData } from "../../../src/people/my-data.ts";
import type { Message } from "../../../src/messages/model.ts";

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(async () => {
  await world.reset();
  world.clock.set("2026-03-02T10:00:00Z");
});

const SUMMARY = "People told us that evening meetings suit carers better, and that papers came too late to read.";
const isCheck = (m: Message) => m.blocks.some((b) => b.kind === "form" && b.id === "membercheck-answer");

/** A programme with five experts (Fay will not be quoted), a commissioner and an evaluator. */
async function cast() {
  const programme = await world.programme();
  const experts: TestPerson[] = [];
  for (const name of ["Ann", "Ben", "Cal", "Dee"]) experts.push(await world.person(programme, name, "expert_by_experience"));
  const fay = await world.person(programme, "Fay", "expert_by_experience", { quotation: false });
  const colm = await world.person(programme, "Colm", "commissioner");
  const eve = await world.person(programme, "Eve", "evaluator");
  return { programme, experts, fay, colm, eve };
}

/** The evaluator writes a check, previews it and sends it. */
async function sendCheck(eve: TestPerson, closesAt = "") {
  const form = findForm((await eve.say("check")).private, "membercheck-new");
  const preview = await eve.press(form.submit, { title: "Meeting times", summary: SUMMARY, closesAt });
  expect(preview.error).toBeUndefined();
  expect(textOf(preview.private)).toContain(SUMMARY);
  const sent = await eve.press(findButton(preview.private, "Send it").call);
  return { preview, sent };
}

describe("member checking", () => {
  it("sends the summary privately to the people taking part, not to evaluators, once; previewing sends nothing", async () => {
    const { experts, fay, colm, eve, programme } = await cast();
    const form = findForm((await eve.say("check")).private, "membercheck-new");
    const preview = await eve.press(form.submit, { title: "Meeting times", summary: SUMMARY });
    expect(textOf(preview.private)).toContain("7 people taking part");
    expect(experts[0]!.inbox().filter(isCheck)).toEqual([]);

    const sent = await eve.press(findButton(preview.private, "Send it").call);
    expect(textOf(sent.replaceSource)).toContain('Sent "Meeting times" to 7 people');
    for (const person of [...experts, fay, colm, programme.facilitator]) {
      const got = person.inbox().filter(isCheck);
      expect(got).toHaveLength(1);
      expect(textOf(got[0])).toContain("Did we get this right?");
      expect(textOf(got[0])).toContain(SUMMARY);
    }
    expect(eve.inbox().filter(isCheck)).toEqual([]);

    // A second press sends nothing twice.
    const again = await eve.press(findButton(preview.private, "Send it").call);
    expect(again.error?.code).toBe("conflict");
    expect(experts[0]!.inbox().filter(isCheck)).toHaveLength(1);
  });

  it("gives nothing to a paused person or one who has not agreed to take part", async () => {
    const { experts, eve, programme } = await cast();
    const noConsent = await world.person(programme, "Gil", "professional", { consent: false });
    await experts[0]!.say("pause");
    await sendCheck(eve);
    expect(experts[0]!.inbox().filter(isCheck)).toEqual([]);
    expect(noConsent.inbox().filter(isCheck)).toEqual([]);
    expect(experts[1]!.inbox().filter(isCheck)).toHaveLength(1);
  });

  it("refuses people who may not send checks, politely", async () => {
    const { experts } = await cast();
    const reply = await experts[0]!.say("check");
    expect(reply.error?.code).toBe("not_allowed");
    expect(textOf(reply.private)).toContain("Sorry, only people in these roles can do that");
  });

  it("stores an answer once, shows it with a way to change it, and reports counts by role with quotes only from those who agreed", async () => {
    const { experts, fay, colm, eve } = await cast();
    await sendCheck(eve);
    const answer = async (person: TestPerson, verdict: string, comment = "") => {
      const msg = person.inbox().find(isCheck)!;
      return person.press(findForm(msg, "membercheck-answer").submit, { verdict, comment });
    };
    const first = await answer(experts[0]!, "partly", "The papers were late, but evenings are hard for me too.");
    expect(textOf(first.replaceSource)).toContain("Thank you. Your answer is saved.");
    expect(textOf(first.replaceSource)).toContain("Partly");
    expect(findForm(first.replaceSource, "membercheck-answer").openLabel).toBe("Change my answer");
    // Changed, not added to.
    await experts[0]!.press(findForm(first.replaceSource, "membercheck-answer").submit, { verdict: "yes", comment: "Yes, the papers were late." });
    await answer(experts[1]!, "yes");
    await answer(fay, "no", "Fay's words that must never be shown");
    await answer(colm, "yes", "Evenings are fine for the team.");
    expect(await world.prisma.memberCheckResponse.count()).toBe(4);

    const report = textOf((await eve.say("check answers")).private);
    expect(report).toContain("Meeting times");
    const picked = await eve.press(findButton((await eve.say("check answers")).private, "Meeting times").call);
    const text = textOf(picked.private);
    // One commissioner and one facilitator were asked: too few to show by role, so all roles together.
    expect(text).toContain("All roles together (7 asked): Yes: 3. Partly: 0. No: 1. No reply: 3.");
    expect(text).toContain("Yes: 3. Partly: 0. No: 1. No reply: 3.");
    expect(text).toContain('"Yes, the papers were late."');
    expect(text).not.toContain("Fay's words");
    expect(text).toContain("1 person added words but did not agree to be quoted");
    for (const name of ["Ann", "Colm", "Fay"]) expect(text).not.toContain(name);
    // Quoted by role only: too few commissioners were asked, so "Someone".
    expect(text).toContain('Someone (Yes): "Evenings are fine for the team."');
    expect(await world.prisma.auditEntry.count({ where: { action: "read.membercheck" } })).toBe(1);

    // My data shows the person their own answer.
    const mine = await exportPersonData(world.prisma, experts[0]!.id);
    expect(mine.memberChecks).toEqual([expect.objectContaining({ check: "Meeting times", answer: "yes", comment: "Yes, the papers were late." })]);
  });

  it("refuses answers politely after the closing date", async () => {
    const { experts, eve } = await cast();
    await sendCheck(eve, "2026-03-06 17:00");
    const msg = experts[0]!.inbox().find(isCheck)!;
    expect(textOf(msg)).toContain("You can answer until");
    world.clock.set("2026-03-06T16:00:00Z");
    expect((await experts[0]!.press(findForm(msg, "membercheck-answer").submit, { verdict: "yes" })).error).toBeUndefined();
    world.clock.set("2026-03-06T17:01:00Z");
    const late = await experts[1]!.press(findForm(experts[1]!.inbox().find(isCheck), "membercheck-answer").submit, { verdict: "no" });
    expect(late.error?.code).toBe("closed");
    expect(textOf(late.private)).toContain("Sorry, this check closed on");
    expect(await world.prisma.memberCheckResponse.count()).toBe(1);
  });

  it("refuses a closing date in the past and an answer that is not yes, partly or no", async () => {
    const { experts, eve } = await cast();
    const form = findForm((await eve.say("check")).private, "membercheck-new");
    const past = await eve.press(form.submit, { title: "Meeting times", summary: SUMMARY, closesAt: "2026-03-01 10:00" });
    expect(textOf(past.private)).toContain("The closing date must be in the future");
    await sendCheck(eve);
    const bad = await experts[0]!.press(findForm(experts[0]!.inbox().find(isCheck), "membercheck-answer").submit, { verdict: "maybe" });
    expect(bad.error?.code).toBe("invalid_input");
    expect(await world.prisma.memberCheckResponse.count()).toBe(0);
  });
});

describe("member check rules", () => {
  it("a check is a draft until sent, open until its closing date, then closed", () => {
    const sentAt = new Date("2026-03-02T10:00:00Z");
    const closesAt = new Date("2026-03-06T17:00:00Z");
    expect(checkState({ sentAt: null, closesAt }, sentAt)).toBe("draft");
    expect(checkState({ sentAt, closesAt }, closesAt)).toBe("open");
    expect(checkState({ sentAt, closesAt }, new Date(closesAt.getTime() + 1))).toBe("closed");
    expect(checkState({ sentAt, closesAt: null }, new Date("2030-01-01T00:00:00Z"))).toBe("open");
    expect(verdictCounts([{ verdict: "yes" }, { verdict: "no" }, { verdict: "yes" }, { verdict: "other" }])).toEqual({ yes: 2, partly: 0, no: 1 });
  });
});
