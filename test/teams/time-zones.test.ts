import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TeamsWorld } from "./harness.ts";
import { FakeTeams, cardText, findAction, teamsUser } from "../support/fake-teams.ts";
import { createSeriesFromTemplate } from "../../src/prompts/index.ts";

// "Monday 10:00 wherever you are", with the zone the Teams client sends (activity.localTimezone), through the real CloudAdapter;
// and questions held by a pause, offered when the person resumes.
let world: TeamsWorld;
beforeAll(async () => {
  world = await TeamsWorld.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());
afterEach(() => {
  expect(world.fake.unexpected()).toEqual([]);
  expect(world.log.lines.filter((l) => l.level === "error")).toEqual([]);
});

async function tickAt(when: string) {
  world.clock.set(when);
  await world.app.core.tick();
  await world.app.core.flush();
}

describe("time zones, on Teams", () => {
  it("asks a member whose Teams says Asia/Tokyo at 10:00 Tokyo time, and shows where the zone came from", async () => {
    const fac = await world.install(teamsUser("Sam Facilitator"));
    await world.send(world.build.inChannel(fac, "setup Young people's mental health"));
    const aiko = await world.joinAsExpert({ ...teamsUser("Aiko"), timeZone: "Asia/Tokyo" });
    await world.send(world.build.say(aiko, "prefs"));
    expect(cardText(world.lastCard(aiko.chat))).toContain("Asia/Tokyo (from Teams)");

    const programme = await world.db.programme.findFirstOrThrow();
    const facilitator = await world.db.platformIdentity.findFirstOrThrow({ where: { person: { displayName: "Sam Facilitator" } } });
    await createSeriesFromTemplate(world.app.core.ctx, facilitator.personId, programme.id, "ndti_survey", { cron: "0 10 * * 1", timeZone: "Europe/London", localTime: true });
    const questions = () => world.cards(aiko.chat).filter((c) => cardText(c).includes("Please answer by"));

    await tickAt("2026-03-08T20:00:00Z"); // Monday 10:00 reaches UTC+14: the occurrence opens
    await tickAt("2026-03-09T00:55:00Z"); // 09:55 in Tokyo
    expect(questions()).toHaveLength(0);
    await tickAt("2026-03-09T01:00:00Z"); // 10:00 in Tokyo
    expect(questions()).toHaveLength(1);
    await tickAt("2026-03-09T10:00:00Z"); // 10:00 in London: nothing more
    expect(questions()).toHaveLength(1);
  });

  it("lets a member who chose a zone for a trip go back to Teams' with one press, and then follows Teams again", async () => {
    await world.reset();
    const fac = await world.install(teamsUser("Sam Facilitator"));
    await world.send(world.build.inChannel(fac, "setup Young people's mental health"));
    const aiko = await world.joinAsExpert({ ...teamsUser("Aiko"), timeZone: "Asia/Tokyo" });

    // Away in Paris, she chose Paris in her preferences.
    await world.send(world.build.say(aiko, "prefs"));
    const prefs = world.messageWith(aiko.chat, "Your preferences");
    const save = findAction(FakeTeams.card(prefs), "Save");
    await world.send(world.build.execute(aiko, save, { timeZone: "Europe/Paris", quietStart: "21:00", quietEnd: "08:00", reminderLimit: "2" }, { replyToId: prefs.id }));
    await world.send(world.build.say(aiko, "prefs"));
    const chosen = world.messageWith(aiko.chat, "you chose this");
    expect(cardText(FakeTeams.card(chosen))).toContain("Europe/Paris (you chose this)");

    // Home again: one press, and the zone is the one Teams sends.
    const back = findAction(FakeTeams.card(chosen), "Use the time zone from Teams (now Asia/Tokyo)");
    const answer = await world.send(world.build.execute(aiko, back, {}, { replyToId: chosen.id }));
    expect(cardText(answer.body?.value)).toContain("Asia/Tokyo (from Teams)");
    expect(world.cards(aiko.chat).some((c) => cardText(c).includes("Your time zone now comes from Teams: Asia/Tokyo."))).toBe(true);
    const pref = await world.db.preference.findFirstOrThrow({ where: { person: { displayName: "Aiko" } } });
    expect(pref).toMatchObject({ timeZone: "Asia/Tokyo", timeZoneChosen: false });

    // Her Teams client is in Seoul now: her zone follows.
    await world.send(world.build.say({ ...aiko, timeZone: "Asia/Seoul" }, "prefs"));
    expect(cardText(world.lastCard(aiko.chat))).toContain("Asia/Seoul (from Teams)");
  });
});

describe("a pause, on Teams", () => {
  it("offers questions that opened while someone was paused once, when they resume while the questions are still open", async () => {
    const fac = await world.install(teamsUser("Sam Facilitator"));
    await world.send(world.build.inChannel(fac, "setup Young people's mental health"));
    const bea = await world.joinAsExpert("Bea Carer");
    const programme = await world.db.programme.findFirstOrThrow();
    const facilitator = await world.db.platformIdentity.findFirstOrThrow({ where: { person: { displayName: "Sam Facilitator" } } });
    await createSeriesFromTemplate(world.app.core.ctx, facilitator.personId, programme.id, "ndti_survey", { cron: "0 10 * * 1", timeZone: "Europe/London" });
    await world.send(world.build.say(bea, "pause"));
    expect(cardText(world.lastCard(bea.chat))).toContain("Messages are paused");
    const questions = () => world.cards(bea.chat).filter((c) => cardText(c).includes("Please answer by"));

    await tickAt("2026-03-02T10:00:00Z"); // the questions open while Bea is paused
    await tickAt("2026-03-02T13:00:00Z");
    expect(questions()).toHaveLength(0);
    world.clock.set("2026-03-02T14:00:00Z");
    await world.send(world.build.say(bea, "resume"));
    expect(cardText(world.lastCard(bea.chat))).toContain("Messages are on again");
    await tickAt("2026-03-02T14:01:00Z");
    expect(questions()).toHaveLength(1);
    expect(cardText(questions()[0])).toContain("How is co-production going?");
    await tickAt("2026-03-02T18:00:00Z"); // offered once, not again
    expect(questions()).toHaveLength(1);
  });
});
