import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { World, textOf } from "../../support/world.ts";
import { recordContribution } from "../../../src/people/index.ts";
import { amountFor, contributionTotals, penceOf } from "../../../src/people/rules.ts";
import type { Message } from "../../../src/messages/model.ts";

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

const fileIn = (m: Message | undefined) => {
  const file = m?.blocks.find((b) => b.kind === "file");
  if (!file || file.kind !== "file") throw new Error("no file in the message");
  return file;
};

describe("recognition: time given, a thank-you file, rates and totals", () => {
  it("gives a person a thank-you file naming them and the programme only, with their hours and activities", async () => {
    const programme = await world.programme("Carers' support review");
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const ann = await world.person(programme, "Ann", "expert_by_experience");
    await jo.say("suggest Evening panels, please");
    await ann.say("suggest Meet in the library");
    world.clock.set("2026-04-13T09:00:00Z");
    await recordContribution(world.prisma, world.ctx.settings, { personId: jo.id, programmeId: programme.id, kind: "panel", sourceRef: "panel-1", occurredAt: world.clock.now() });

    const reply = (await jo.say("my-contribution")).private!;
    expect(textOf(reply)).toContain("Thank you for your time in Carers' support review");
    expect(textOf(reply)).toContain("about 1 hour 35 minutes");
    const file = fileIn(reply);
    expect(file).toMatchObject({ filename: "thank-you-from-wesaid.txt", mimeType: "text/plain" });
    expect(file.content).toContain("Thank you, Jo");
    expect(file.content).toContain("Programme: Carers' support review");
    expect(file.content).toContain("from 2 March 2026 to 13 April 2026");
    expect(file.content).toContain("shared ideas: 1 time");
    expect(file.content).toContain("sat on panels: 1 time");
    for (const other of ["Ann", "library", "Facilitator"]) expect(file.content).not.toContain(other);
  });

  it("says politely when nothing is recorded yet", async () => {
    const programme = await world.programme();
    const pat = await world.person(programme, "Pat", "professional");
    const reply = await pat.say("my-contribution");
    expect(reply.error?.code).toBe("invalid_input");
    expect(textOf(reply.private)).toContain("We have not recorded any time from you");
  });

  it("lets facilitators set the programme's rates by role and see totals by role, with a line per person for payment, audited", async () => {
    const programme = await world.programme("Carers' support review");
    const fac = programme.facilitator;
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const ann = await world.person(programme, "Ann", "expert_by_experience");
    const pat = await world.person(programme, "Pat", "professional");
    for (const [who, ref] of [[jo, "p1"], [ann, "p1"], [jo, "p2"]] as const) {
      await recordContribution(world.prisma, world.ctx.settings, { personId: who.id, programmeId: programme.id, kind: "panel", sourceRef: ref, occurredAt: world.clock.now() });
    }
    await pat.say("suggest A drop-in at the GP surgery");

    expect(textOf((await fac.say("rate expert by experience £20 per hour")).private)).toContain("Expert by experience: £20 for each hour of time given");
    expect(textOf((await fac.say("rate expert by experience 5 per activity")).private)).toContain("£5 for each activity");
    await fac.say("rate professional £12.50 an hour");
    const rates = textOf((await fac.say("rates")).private);
    expect(rates).toContain("£20 an hour and £5 an activity");
    expect(rates).toContain("£12.50 an hour");

    const reply = (await fac.say("contribution-totals")).private!;
    const shown = textOf(reply);
    // Experts: 3 panels of 90 minutes = 4.5 hours at £20 (£90) + 3 activities at £5 (£15).
    expect(shown).toContain("Expert by experience");
    expect(shown).toContain("2 people, 4 hours 30 minutes, 3 times, £105");
    // Pat: one idea, 5 minutes at £12.50 an hour = £1.04.
    expect(shown).toContain("1 person, 5 minutes, 1 time, £1.04");
    expect(shown).toContain("In all: £106.04");
    const file = fileIn(reply);
    const rows = parse(file.content, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows).toEqual([
      { name: "Jo", role: "Expert by experience", hours: "3.00", activities: "2", amount_gbp: "70.00" },
      { name: "Ann", role: "Expert by experience", hours: "1.50", activities: "1", amount_gbp: "35.00" },
      { name: "Pat", role: "Professional", hours: "0.08", activities: "1", amount_gbp: "1.04" },
    ]);
    const read = await world.prisma.auditEntry.findFirstOrThrow({ where: { action: "read.contributions" } });
    expect(read).toMatchObject({ actorId: fac.id, entityId: programme.id });
    expect(await world.prisma.auditEntry.count({ where: { action: "recognition.rate" } })).toBe(3);
  });

  it("keeps rates and totals to facilitators and admins, and answers a wrong rate politely", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const eve = await world.person(programme, "Eve", "evaluator");
    for (const who of [jo, eve]) {
      expect((await who.say("contribution-totals")).error?.code).toBe("not_allowed");
      expect((await who.say("rate professional £10 per hour")).error?.code).toBe("not_allowed");
    }
    expect(await world.prisma.contributionRate.count()).toBe(0);
    const fac = programme.facilitator;
    const noAmount = await fac.say("rate professional lots per hour");
    expect(noAmount.error?.code).toBe("invalid_input");
    const badRole = await fac.say("rate volunteer £10 per hour");
    expect(textOf(badRole.private)).toContain("Please say which role");
    const badUnit = await fac.say("rate professional £10 per week");
    expect(textOf(badUnit.private)).toContain("per hour or per activity");
    expect(textOf((await jo.say("help")).private)).not.toContain("contribution-totals");
    expect(textOf((await fac.say("help")).private)).toContain("contribution-totals");
  });
});

describe("recognition rules", () => {
  it("reads amounts in pounds as pence", () => {
    expect([penceOf("£25"), penceOf("12.5"), penceOf("£ 0.99"), penceOf("7.05")]).toEqual([2500, 1250, 99, 705]);
    expect([penceOf("lots"), penceOf("-3"), penceOf("1.234"), penceOf("")]).toEqual([null, null, null, null]);
  });

  it("pays by the hour and by the activity, rounds to the penny, and pays nothing without a rate", () => {
    expect(amountFor({ role: "professional", pencePerHour: 1250, pencePerActivity: 0 }, 5, 1)).toBe(104);
    expect(amountFor({ role: "professional", pencePerHour: 0, pencePerActivity: 1000 }, 600, 3)).toBe(3000);
    expect(amountFor(undefined, 600, 3)).toBe(0);
    const t = contributionTotals(
      [
        { personId: "a", name: "A", role: "professional", minutes: 60, activities: 1 },
        { personId: "b", name: "B", role: "commissioner", minutes: 120, activities: 2 },
      ],
      [{ role: "professional", pencePerHour: 1000, pencePerActivity: 0 }],
    );
    expect(t.roles.map((r) => [r.role, r.pence])).toEqual([["commissioner", 0], ["professional", 1000]]);
    expect(t.people.map((p) => p.name)).toEqual(["B", "A"]);
    expect(t.totalPence).toBe(1000);
  });
});
