import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { World, findButton, findForm, textOf, type TestPerson } from "../../support/world.ts";
import { buildDigest } from "../../../src/digest/index.ts";
import { erasePerson, leaveProgramme } from "../../../src/people/index.ts";
import type { Message } from "../../../src/messages/model.ts";

/**
 * "Asked" and "no reply" come from what was delivered, not from a count kept when the check was sent:
 * a send that failed, someone forgotten or someone who left before answering are not waiting for a reply.
 * Every figure is counted by hand from the people below.
 */

let world: World;
const isCheck = (m: Message) => m.blocks.some((b) => b.kind === "form" && b.id === "membercheck-answer");
const WEEK = new Date("2026-03-02T00:00:00Z");

let programme: { id: string; channel: string };
let eve: TestPerson;
const people: Record<string, TestPerson> = {};

async function answer(person: TestPerson, verdict: string) {
  const reply = await person.press(findForm(person.inbox().find(isCheck), "membercheck-answer").submit, { verdict });
  expect(reply.error).toBeUndefined();
}

beforeAll(async () => {
  world = await World.open();
  world.clock.set("2026-03-02T10:00:00Z");
  programme = await world.programme();
  // The facilitator becomes an admin: not asked, so only the people below are.
  await world.prisma.membership.updateMany({ where: { programmeId: programme.id, role: "facilitator" }, data: { role: "admin" } });
  for (const name of ["Ann", "Ben", "Cal", "Dee", "Eva", "Fin"]) people[name] = await world.person(programme, name, "expert_by_experience");
  for (const name of ["Pam", "Pip", "Pol", "Pru", "Pia"]) people[name] = await world.person(programme, name, "professional");
  eve = await world.person(programme, "Eve", "evaluator");
  // Fin's chat cannot be reached: the send fails.
  world.messenger.unreachable.add(people.Fin!.externalId);

  const preview = await eve.press(findForm((await eve.say("check")).private, "membercheck-new").submit, { title: "Meeting times", summary: "Evening meetings suit carers better." });
  const sent = await eve.press(findButton(preview.private, "Send it").call);
  // Eleven were queued; ten got it.
  expect(textOf(sent.replaceSource)).toContain('Sent "Meeting times" to 11 people');
  expect(people.Fin!.inbox().filter(isCheck)).toEqual([]);

  await answer(people.Ann!, "yes");
  await answer(people.Ben!, "no");
  await answer(people.Pam!, "partly");
  // Ben is forgotten after answering: his answer stays, without his name, and he was asked.
  await erasePerson(world.ctx, people.Ben!.id);
  // Cal is forgotten and Dee leaves, neither having answered: nobody is waiting for them.
  await erasePerson(world.ctx, people.Cal!.id);
  await leaveProgramme(world.ctx, { personId: people.Dee!.id, programmeId: programme.id });
  // Pam leaves after answering: her answer still counts, and so does her being asked.
  await leaveProgramme(world.ctx, { personId: people.Pam!.id, programmeId: programme.id });
  world.clock.set("2026-03-03T10:00:00Z");
}, 180_000);
afterAll(() => world.close());

describe("who was asked a member check", () => {
  // Asked: Ann, Ben (answered, forgotten), Eva (experts: 3); Pam (answered, left), Pip, Pol, Pru, Pia (professionals: 5).
  // Not asked: Fin (the send failed), Cal (forgotten), Dee (left). Three experts are too few: all roles together.
  const figures = { yes: 1, partly: 1, no: 1, noReply: 5 };

  it("counts in the report only those it reached and who are still here, and everyone who answered", async () => {
    const report = await eve.press({ action: "membercheck.report", args: { checkId: (await world.prisma.memberCheck.findFirstOrThrow()).id } });
    const text = textOf(report.private);
    expect(text).toContain("All roles together (8 asked): Yes: 1. Partly: 1. No: 1. No reply: 5.");
    expect(text).toContain("Everyone");
    expect(text).not.toContain("No reply: 8");
  });

  it("gives the digest the same figures", async () => {
    const d = await buildDigest(world.prisma, world.ctx.settings, programme.id, WEEK);
    expect(d.memberChecks[0]).toMatchObject({ title: "Meeting times", asked: 8, all: figures });
  });

  it("gives the export the same number asked", async () => {
    const file = (await eve.say("export checks")).private!.blocks.find((b) => b.kind === "file");
    const rows = parse(file && file.kind === "file" ? file.content : "", { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.asked)).toEqual(["8", "8", "8"]);
  });

  it("does not count a message still waiting for the end of someone's quiet hours until it reaches them", async () => {
    world.clock.set("2026-03-03T22:00:00Z");
    const preview = await eve.press(findForm((await eve.say("check")).private, "membercheck-new").submit, { title: "Papers", summary: "Papers came too late to read." });
    await eve.press(findButton(preview.private, "Send it").call);
    const check = await world.prisma.memberCheck.findFirstOrThrow({ where: { title: "Papers" } });
    const report = async () => textOf((await eve.press({ action: "membercheck.report", args: { checkId: check.id } })).private);
    expect(await report()).toContain("Nobody was asked.");
    world.clock.set("2026-03-04T08:30:00Z");
    await world.core.flush();
    // Ann, Eva, Pip, Pol, Pru and Pia: those still here whose chat can be reached.
    expect(await report()).toContain("All roles together (6 asked): Yes: 0. Partly: 0. No: 0. No reply: 6.");
  });
});
