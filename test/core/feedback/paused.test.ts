import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, textOf, type TestPerson } from "../../support/world.ts";
import { DAY } from "../../../src/clock.ts";
import { cast as castIn, mention, pause, sayNaming } from "./helpers.ts";

/** A pause stops every kind of message this loop sends to a person; others in the same fan-out still get theirs. */

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

const cast = () => castIn(world);

const containing = (person: TestPerson, words: string) => person.inbox().filter((m) => textOf(m).includes(words));

async function suggestAs(person: TestPerson, text: string) {
  const reply = await person.say(`suggest ${text}`);
  expect(reply.error).toBeUndefined();
}

describe("a person who paused their messages", () => {
  it("is not told their idea's status changed, and the manager is not told they were", async () => {
    const { priya, jo } = await cast();
    await suggestAs(jo, "Evening panels");
    await pause(jo);
    const reply = await priya.press({ action: "feedback.status", args: { item: "1", status: "considering" } });
    expect(textOf(reply.private)).toContain("Idea #1 is now being looked at.");
    expect(textOf(reply.private)).not.toContain("We have told");
    await world.tick();
    expect(containing(jo, "Your idea #1")).toHaveLength(0);
  });

  it("is not told their answer became an idea", async () => {
    const { programme, fac, jo } = await cast();
    const series = await world.prisma.promptSeries.create({
      data: { programmeId: programme.id, title: "Check-in", audienceRoles: ["expert_by_experience"], cron: "0 9 1 * *", timeZone: "Europe/London" },
    });
    const occurrence = await world.prisma.promptOccurrence.create({ data: { seriesId: series.id, scheduledFor: world.clock.now(), closesAt: new Date(world.clock.now().getTime() + 7 * DAY) } });
    const answer = await world.prisma.promptResponse.create({
      data: { occurrenceId: occurrence.id, questionId: "q1", personId: jo.id, role: "expert_by_experience", responseKey: "k-1", text: "Later meetings", answeredAt: world.clock.now(), updatedAt: world.clock.now() },
    });
    await pause(jo);
    const reply = await fac.press({ action: "feedback.from_answer", args: { responseId: answer.id } });
    expect(reply.error).toBeUndefined();
    await world.tick();
    expect(containing(jo, "Something you said is now idea #1")).toHaveLength(0);
  });

  it("is not told they now look after an idea", async () => {
    const { fac, priya, jo } = await cast();
    await suggestAs(jo, "Evening panels");
    await pause(priya);
    const reply = await sayNaming(world, fac, "assign #1 @Priya 7", [mention(priya, "Priya")]);
    expect(textOf(reply.private)).toContain("Priya is now looking after idea #1");
    await world.tick();
    expect(containing(priya, "You are looking after idea #1")).toHaveLength(0);
  });

  it("is not asked whether a 'we did' update answers their idea; the others are", async () => {
    const { priya, jo, ali } = await cast();
    await suggestAs(jo, "Evening panels");
    await suggestAs(ali, "Papers a week before");
    await pause(jo);
    const reply = await priya.say("update #1 #2 We moved the panel and send papers earlier");
    expect(textOf(reply.private)).toContain("We have asked 1 person");
    await world.tick();
    expect(containing(jo, "News about your idea")).toHaveLength(0);
    expect(containing(ali, "News about your idea #2")).toHaveLength(1);
  });

  it("is not nudged about an overdue idea they look after", async () => {
    const { priya, jo } = await cast();
    await suggestAs(jo, "Evening panels");
    await priya.press({ action: "feedback.assign", args: { item: "1", ownerExternalId: "me", dueInDays: "3" } });
    await pause(priya);
    world.clock.advanceDays(4);
    await world.tick();
    world.clock.advanceDays(4);
    await world.tick();
    expect(containing(priya, "is waiting for an answer")).toHaveLength(0);
  });

  it("is not told about an idea nobody took on; another facilitator is", async () => {
    const { programme, fac, jo } = await cast();
    const fran = await world.person(programme, "Fran", "facilitator");
    await suggestAs(jo, "Evening panels");
    await pause(fac);
    world.clock.advanceDays(8);
    await world.tick();
    expect(containing(fac, "Nobody is looking after idea #1")).toHaveLength(0);
    expect(containing(fran, "Nobody is looking after idea #1")).toHaveLength(1);
  });

  it("is not sent new ideas when the programme has no channel; other managers are", async () => {
    const { programme, fac, priya, jo } = await cast();
    await world.prisma.programmeChannel.deleteMany({ where: { programmeId: programme.id } });
    await pause(priya);
    await suggestAs(jo, "Evening panels");
    await world.tick();
    expect(containing(priya, "New idea #1")).toHaveLength(0);
    expect(containing(fac, "New idea #1")).toHaveLength(1);
  });

  it("is not told they own a joint action; the other owners are", async () => {
    const { priya, jo, sam } = await cast();
    await pause(jo);
    const reply = await sayNaming(world, priya, "together Rewrite the leaflet with @Jo @Sam", [mention(jo, "Jo"), mention(sam, "Sam")]);
    expect(reply.error).toBeUndefined();
    await world.tick();
    expect(containing(jo, "You are one of the owners")).toHaveLength(0);
    expect(containing(sam, "You are one of the owners")).toHaveLength(1);
  });

  it("is not told a joint action answering their idea is done", async () => {
    const { priya, jo, ali, sam } = await cast();
    await suggestAs(ali, "The leaflet is hard to read");
    await sayNaming(world, priya, "together #1 Rewrite the leaflet with @Jo @Sam", [mention(jo, "Jo"), mention(sam, "Sam")]);
    await pause(ali);
    const done = await jo.press(findButton(jo.lastMessage(), "It is done").call);
    expect(textOf(done.private)).toContain("is marked as done");
    expect(textOf(done.private)).not.toContain("We have told");
    await world.tick();
    expect(containing(ali, "We said, we did")).toHaveLength(0);
  });
});
