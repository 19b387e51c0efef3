import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findForm, textOf, type TestPerson } from "../../support/world.ts";
import { backends } from "../../support/databases.ts";
import { buildDigest, digestMessage } from "../../../src/digest/index.ts";
import { createSeries } from "../../../src/prompts/series.ts";
import { plainText } from "../../../src/messages/model.ts";
import type { Role } from "../../../src/roles.ts";

/** NDTi-style before and after: each person's 0-10 answers compared between stages, by role, small groups hidden. */

const DAY_MS = 86_400_000;
const t = (iso: string) => new Date(iso);
const r1 = (n: number) => Math.round(n * 10) / 10;
const middle = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const QUESTION = "How confident do you feel speaking up in meetings?";
const WEEK = t("2026-03-16T00:00:00Z");

type Programme = Awaited<ReturnType<World["programme"]>>;

async function stagedSeries(world: World, programme: Programme, title: string, anonymous = false) {
  return world.prisma.promptSeries.create({
    data: {
      programmeId: programme.id,
      title,
      audienceRoles: ["expert_by_experience", "professional", "commissioner"],
      cron: "0 10 * * 2",
      timeZone: "Europe/London",
      anonymous,
      active: false,
      questions: { create: [{ position: 1, kind: "scale", text: QUESTION, scaleMin: 0, scaleMax: 10 }] },
    },
    include: { questions: true },
  });
}

/** Marks a series with a stage the way a facilitator does: the form in the prompts menu. */
async function markStage(programme: Programme, seriesId: string, stage: string) {
  const menu = await programme.facilitator.say("prompts");
  const reply = await programme.facilitator.press(findForm(menu.private, `stage-${seriesId}`).submit, { stage });
  expect(reply.error).toBeUndefined();
  return reply;
}

async function answer(world: World, series: Awaited<ReturnType<typeof stagedSeries>>, when: string, scores: [TestPerson, Role, number][]) {
  const occ = await world.prisma.promptOccurrence.create({ data: { seriesId: series.id, scheduledFor: t(when), closesAt: new Date(t(when).getTime() + 7 * DAY_MS) } });
  const answeredAt = new Date(t(when).getTime() + 3_600_000);
  await new Promise((resolve) => setImmediate(resolve));
  for (const [person, role, score] of scores) {
    await world.prisma.promptDelivery.create({ data: { occurrenceId: occ.id, personId: person.id, role, status: "answered", notBefore: t(when), sentAt: t(when), answeredAt } });
    await world.prisma.promptResponse.create({
      data: { occurrenceId: occ.id, questionId: series.questions[0]!.id, personId: series.anonymous ? null : person.id, role, responseKey: `k-${occ.id}-${person.id}`, number: score, answeredAt, updatedAt: answeredAt },
    });
  }
}

describe.each(backends())("before and after between stages (%s)", (backend) => {
  let world: World;
  beforeAll(async () => {
    world = await World.open(backend);
  });
  afterAll(() => world.close());
  beforeEach(() => world.reset());

  it("shows the change in each person's answers by role, pairs the first answer at the start with the latest at the end, and hides small groups", { timeout: 120_000 }, async () => {
    const programme = await world.programme();
    const experts: TestPerson[] = [];
    const professionals: TestPerson[] = [];
    for (const n of [1, 2, 3, 4, 5, 6]) experts.push(await world.person(programme, `Expert ${n}`, "expert_by_experience"));
    for (const n of [1, 2, 3, 4, 5]) professionals.push(await world.person(programme, `Professional ${n}`, "professional"));
    const start = await stagedSeries(world, programme, "Confidence at the start");
    const finish = await stagedSeries(world, programme, "Confidence at the end");
    const pulse = await stagedSeries(world, programme, "Anonymous pulse at the end", true);
    expect(textOf((await markStage(programme, start.id, "baseline")).private)).toContain('"Confidence at the start" is now marked as asked at the start.');
    await markStage(programme, finish.id, "end");
    await markStage(programme, pulse.id, "end");

    const before = { experts: [2, 3, 4, 5, 6], professionals: [5, 5, 6, 7, 8] };
    const after = { experts: [6, 4, 7, 5, 9], professionals: [5, 4, 8, 7, 9] };
    await answer(world, start, "2026-03-03T10:00:00Z", [
      ...experts.slice(0, 5).map((p, i): [TestPerson, Role, number] => [p, "expert_by_experience", before.experts[i]!]),
      ...professionals.map((p, i): [TestPerson, Role, number] => [p, "professional", before.professionals[i]!]),
    ]);
    // A later answer at the start does not replace the first; an earlier answer at the end is replaced by the latest.
    await answer(world, start, "2026-03-10T10:00:00Z", [[experts[0]!, "expert_by_experience", 9]]);
    await answer(world, finish, "2026-03-17T10:00:00Z", [[experts[1]!, "expert_by_experience", 0]]);
    await answer(world, finish, "2026-03-18T10:00:00Z", [
      ...experts.slice(0, 5).map((p, i): [TestPerson, Role, number] => [p, "expert_by_experience", after.experts[i]!]),
      ...professionals.map((p, i): [TestPerson, Role, number] => [p, "professional", after.professionals[i]!]),
      // Answered only at the end: nothing to compare with.
      [experts[5]!, "expert_by_experience", 10],
    ]);
    await answer(world, pulse, "2026-03-18T10:00:00Z", experts.slice(0, 5).map((p): [TestPerson, Role, number] => [p, "expert_by_experience", 7]));

    const changes = (role: "experts" | "professionals") => after[role].map((a, i) => a - before[role][i]!);
    const figure = (c: number[]) => ({ people: c.length, medianChange: r1(middle(c)) });
    const d = await buildDigest(world.prisma, world.ctx.settings, programme.id, WEEK);
    expect(d.stages.anonymousSeries).toEqual(["Anonymous pulse at the end"]);
    expect(d.stages.changes).toEqual([
      {
        question: QUESTION,
        min: 0,
        max: 10,
        from: "baseline",
        to: "end",
        allRoles: figure([...changes("experts"), ...changes("professionals")]),
        byRole: [
          { label: "Expert by experience", people: 5, hidden: false, value: figure(changes("experts")) },
          { label: "Professional", people: 5, hidden: false, value: figure(changes("professionals")) },
        ],
      },
    ]);
    const text = plainText(digestMessage(d, { programmeId: programme.id }));
    expect(text).toContain(`from the start to the end: Expert by experience (5 people): middle change +${r1(middle(changes("experts")))}`);
    expect(text).toContain('"Anonymous pulse at the end" is answered without names, so answers cannot be compared between stages.');
    expect(JSON.stringify(d.stages)).not.toContain(experts[0]!.id);

    // Two commissioners answer both times: a group of 2 would show beside the others, so no role is shown.
    const commissioners = [await world.person(programme, "Commissioner 1", "commissioner"), await world.person(programme, "Commissioner 2", "commissioner")];
    await answer(world, start, "2026-03-04T10:00:00Z", commissioners.map((p): [TestPerson, Role, number] => [p, "commissioner", 3]));
    await answer(world, finish, "2026-03-19T10:00:00Z", commissioners.map((p): [TestPerson, Role, number] => [p, "commissioner", 2]));
    const small = await buildDigest(world.prisma, world.ctx.settings, programme.id, WEEK);
    const everyone = [...changes("experts"), ...changes("professionals"), -1, -1];
    expect(small.stages.changes[0]!.byRole).toEqual([{ label: "All roles together", people: 12, hidden: false, value: figure(everyone) }]);
    expect(small.stages.changes[0]!.allRoles).toEqual(figure(everyone));
  });

  it("tells people answering which stage the questions are for", { timeout: 60_000 }, async () => {
    const programme = await world.programme();
    const expert = await world.person(programme, "Expert Asked", "expert_by_experience");
    await createSeries(world.ctx, programme.facilitator.id, {
      programmeId: programme.id,
      title: "Where we start",
      audienceRoles: ["expert_by_experience"],
      cron: "0 10 * * 2",
      timeZone: "Europe/London",
      stage: "baseline",
      questions: [{ kind: "scale", text: QUESTION }],
    });
    world.clock.set("2026-03-03T10:00:00Z");
    await world.tick();
    await world.tick();
    const questions = expert.inbox().find((m) => textOf(m).includes("Where we start"));
    expect(textOf(questions)).toContain("We ask these questions at the start of the programme. We will ask them again later, to see what has changed.");
    expect(textOf(questions)).toContain("The start");
  });
});
