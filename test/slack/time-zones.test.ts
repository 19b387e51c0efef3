import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SlackWorld, textOfVisible, type SlackUser } from "./harness.ts";
import { createSeriesFromTemplate } from "../../src/prompts/index.ts";

// "Monday 10:00 wherever you are", with the zone Slack's profile gives (users.info `tz`), through the real Bolt app;
// and questions held by a pause, offered when the person resumes.
let world: SlackWorld;
beforeAll(async () => {
  world = await SlackWorld.start();
});
afterAll(() => world.stop());
beforeEach(() => world.reset());
afterEach(() => {
  expect(world.fake.unknown.map((c) => c.method)).toEqual([]);
  expect(world.log.errors).toEqual([]);
});

const fay: SlackUser = { id: "U0FAY", name: "Fay" };
const aiko: SlackUser = { id: "U0AIKO", name: "Aiko" };
const channel = { channel: "C0COPROD", name: "co-production" };
const bea: SlackUser = { id: "U0BEA", name: "Bea" };
const questionsTo = (user: SlackUser) => world.fake.dmOf(user.id).filter((m) => textOfVisible(m).includes("Please answer by"));

async function tickAt(when: string) {
  world.clock.set(when);
  await world.app.core.tick();
  await world.flush();
}

describe("time zones, on Slack", () => {
  it("asks a member whose Slack profile says Asia/Tokyo at 10:00 Tokyo time, and shows where the zone came from", async () => {
    world.fake.userZones.set(aiko.id, "Asia/Tokyo");
    await world.slash(fay, "setup Mental health review", channel);
    const join = await world.slash(aiko, "join", channel);
    await world.press(aiko, join.ephemeral!, "Expert by experience");
    const welcome = world.fake.dmOf(aiko.id).find((m) => m.text.startsWith("Welcome"))!;
    const modal = await world.openForm(aiko, welcome, "Make your choices");
    await world.submit(aiko, modal, { "Can we store": "Yes", "Can the evaluation team quote": "No" });

    expect(textOfVisible((await world.slash(aiko, "prefs")).ephemeral)).toContain("Asia/Tokyo (from Slack)");

    const programme = await world.db.programme.findFirstOrThrow();
    const facilitator = await world.db.platformIdentity.findFirstOrThrow({ where: { externalId: fay.id } });
    await createSeriesFromTemplate(world.app.core.ctx, facilitator.personId, programme.id, "ndti_survey", { cron: "0 10 * * 1", timeZone: "Europe/London", localTime: true });

    await tickAt("2026-03-08T20:00:00Z"); // Monday 10:00 reaches UTC+14: the occurrence opens
    await tickAt("2026-03-09T00:55:00Z"); // 09:55 in Tokyo
    expect(questionsTo(aiko)).toHaveLength(0);
    await tickAt("2026-03-09T01:00:00Z"); // 10:00 in Tokyo
    expect(questionsTo(aiko)).toHaveLength(1);
    await tickAt("2026-03-09T10:00:00Z"); // 10:00 in London: nothing more
    expect(questionsTo(aiko)).toHaveLength(1);
  });

  it("lets a member who chose a zone for a trip go back to Slack's with one press, and then follows Slack again", async () => {
    await world.reset();
    world.fake.userZones.set(aiko.id, "Asia/Tokyo");
    await world.slash(fay, "setup Mental health review", channel);
    const join = await world.slash(aiko, "join", channel);
    await world.press(aiko, join.ephemeral!, "Expert by experience");
    await world.consent(aiko);

    // Away in Paris, she chose Paris in her preferences.
    const prefs = (await world.slash(aiko, "prefs")).ephemeral!;
    await world.submit(aiko, await world.openForm(aiko, prefs, "Change preferences"), { timeZone: "Europe/Paris" });
    const chosen = (await world.slash(aiko, "prefs")).ephemeral!;
    expect(textOfVisible(chosen)).toContain("Europe/Paris (you chose this)");

    // Home again: one press, and the zone is Slack's.
    await world.press(aiko, chosen, "Use the time zone from Slack (now Asia/Tokyo)");
    const texts = world.fake.ephemeralsFor(aiko.id).map(textOfVisible);
    expect(texts.some((t) => t.includes("Your time zone now comes from Slack: Asia/Tokyo."))).toBe(true);
    expect(textOfVisible(chosen)).toContain("Asia/Tokyo (from Slack)");
    const pref = await world.db.preference.findFirstOrThrow({ where: { person: { identities: { some: { externalId: aiko.id } } } } });
    expect(pref).toMatchObject({ timeZone: "Asia/Tokyo", timeZoneChosen: false });

    // Her Slack profile moves to Seoul: her zone follows (a restart forgets the profiles wesaid had looked up).
    world.fake.userZones.set(aiko.id, "Asia/Seoul");
    await world.restart();
    expect(textOfVisible((await world.slash(aiko, "prefs")).ephemeral)).toContain("Asia/Seoul (from Slack)");
  });
});

describe("a pause, on Slack", () => {
  it("offers questions that opened while someone was paused once, when they resume while the questions are still open", async () => {
    await world.slash(fay, "setup Mental health review", channel);
    const join = await world.slash(bea, "join", channel);
    await world.press(bea, join.ephemeral!, "Expert by experience");
    await world.consent(bea);
    const programme = await world.db.programme.findFirstOrThrow();
    const facilitator = await world.db.platformIdentity.findFirstOrThrow({ where: { externalId: fay.id } });
    await createSeriesFromTemplate(world.app.core.ctx, facilitator.personId, programme.id, "ndti_survey", { cron: "0 10 * * 1", timeZone: "Europe/London" });
    expect(textOfVisible((await world.slash(bea, "pause")).ephemeral)).toContain("Messages are paused");

    await tickAt("2026-03-02T10:00:00Z"); // the questions open while Bea is paused
    await tickAt("2026-03-02T13:00:00Z");
    expect(questionsTo(bea)).toHaveLength(0);
    world.clock.set("2026-03-02T14:00:00Z");
    expect(textOfVisible((await world.slash(bea, "resume")).ephemeral)).toContain("Messages are on again");
    await tickAt("2026-03-02T14:01:00Z");
    expect(questionsTo(bea)).toHaveLength(1);
    expect(textOfVisible(questionsTo(bea)[0])).toContain("How is co-production going?");
    await tickAt("2026-03-02T18:00:00Z"); // offered once, not again
    expect(questionsTo(bea)).toHaveLength(1);
  });
});
