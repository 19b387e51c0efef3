import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { latest, startPlayground, textOfEntry, type PlaygroundClient } from "./playground.ts";
import type { Message } from "../../src/messages/model.ts";

/** Action learning sets in the playground, through its HTTP API: set up, joined, reminded, reflected on. */

let p: PlaygroundClient;
beforeAll(async () => {
  p = await startPlayground();
}, 120_000);
afterAll(() => p?.stop());

const has = async (persona: string, words: string) => (await p.view(persona)).some((e) => textOfEntry(e).includes(words));

/** Skips a day at a time (the playground runs the scheduled work as it goes) until the words reach the persona. */
async function skipUntil(persona: string, words: string, days = 6): Promise<void> {
  for (let i = 0; i < days && !(await has(persona, words)); i++) expect((await p.skip("day")).status).toBe(200);
  expect(await has(persona, words), words).toBe(true);
}

describe("learning sets in the playground", () => {
  it("the facilitator sets one up, the expert joins, is reminded before the meeting and answers the reflection after it", async () => {
    expect((await p.post("/playground/demo", {})).status).toBe(200);
    const inThreeDays = new Date(p.clock.now().getTime() + 3 * 24 * 3600_000).toISOString().slice(0, 10);
    await p.say("facilitator", "learning-set new");
    const form = latest(await p.view("facilitator"), "Set up an action learning set");
    const created = await p.submit("facilitator", form, "learning-set-new", {
      name: "Carers' learning set",
      purpose: "Carers learn from each other's cases.",
      first: `${inThreeDays} 14:00`,
      howOften: "every 3 months",
      capacity: "6",
      audienceRoles: ["expert_by_experience"],
    });
    expect(created.status).toBe(200);
    expect(await has("facilitator", "Carers' learning set is set up")).toBe(true);

    await p.say("expert", "learning-set");
    expect((await p.press("expert", latest(await p.view("expert"), "Action learning sets"), "Join the group")).status).toBe(200);
    expect(await has("expert", "You are in Carers' learning set")).toBe(true);

    await skipUntil("expert", "Reminder: Carers' learning set: meeting 1");
    await skipUntil("expert", "Time to reflect on Carers' learning set: meeting 1");
    const reflection = latest(await p.view("expert"), "Time to reflect on Carers' learning set: meeting 1");
    expect((await p.submit("expert", reflection, "panel-debrief", { wentWell: "Hearing how others cope.", listenedTo: "yes" })).status).toBe(200);
    expect(textOfEntry(latest(await p.view("expert"), "Your answer is saved"))).toContain("Hearing how others cope.");
    expect(await p.app.database.prisma.debriefResponse.findFirstOrThrow({ where: { panel: { learningSetId: { not: null } } }, include: { panel: true } })).toMatchObject({ role: "expert_by_experience", panel: { meetingNumber: 1 } });
  });
});

describe("a freed place in the playground", () => {
  it("is offered to the first person waiting, who takes it; the facilitator then ends the group early and everyone in it is told", async () => {
    await p.reset();
    expect((await p.post("/playground/demo", {})).status).toBe(200);
    const inAWeek = new Date(p.clock.now().getTime() + 7 * 24 * 3600_000).toISOString().slice(0, 10);
    await p.say("facilitator", "learning-set new");
    const form = latest(await p.view("facilitator"), "Set up an action learning set");
    const values = { name: "Peer set", first: `${inAWeek} 14:00`, howOften: "monthly", capacity: "2", audienceRoles: [] };
    expect((await p.submit("facilitator", form, "learning-set-new", values)).status).toBe(200);

    const pressInList = async (persona: string, label: string) => {
      await p.say(persona, "learning-set");
      expect((await p.press(persona, latest(await p.view(persona), "Action learning sets"), label)).status).toBe(200);
    };
    await pressInList("expert", "Join the group");
    await pressInList("professional", "Join the group");
    await pressInList("commissioner", "Join the waiting list");
    expect(await has("commissioner", "number 1 on the waiting list")).toBe(true);

    await pressInList("professional", "Leave the group");
    const offer = latest(await p.view("commissioner"), "A place came free in Peer set");
    expect(textOfEntry(offer)).toContain("we are holding the place for you until");
    expect((await p.press("commissioner", offer, "Yes, I want the place")).status).toBe(200);
    expect(await has("commissioner", "The place is yours")).toBe(true);

    await pressInList("facilitator", "End this group early");
    expect(await has("facilitator", "Peer set has ended")).toBe(true);
    for (const persona of ["expert", "commissioner"]) expect(await has(persona, "There will be no more meetings")).toBe(true);
  });
});

describe("changing a learning set in the playground", () => {
  it("the facilitator moves the first meeting a day later and gives a place; the member is told and reminded once, at the new time", async () => {
    await p.reset();
    expect((await p.post("/playground/demo", {})).status).toBe(200);
    const day = (n: number) => new Date(p.clock.now().getTime() + n * 24 * 3600_000).toISOString().slice(0, 10);
    await p.say("facilitator", "learning-set new");
    const values = { name: "Carers' learning set", first: `${day(3)} 14:00`, howOften: "every 3 months", capacity: "6", audienceRoles: [] };
    expect((await p.submit("facilitator", latest(await p.view("facilitator"), "Set up an action learning set"), "learning-set-new", values)).status).toBe(200);
    await p.say("expert", "learning-set");
    expect((await p.press("expert", latest(await p.view("expert"), "Action learning sets"), "Join the group")).status).toBe(200);

    await p.say("facilitator", "learning-set");
    expect((await p.press("facilitator", latest(await p.view("facilitator"), "Action learning sets"), "Change this group")).status).toBe(200);
    const entry = latest(await p.view("facilitator"), "Change Carers' learning set");
    const form = (entry.message as Message).blocks.find((b) => b.kind === "form" && b.id === "learning-set-change");
    if (form?.kind !== "form") throw new Error("no change form");
    const now = Object.fromEntries(form.inputs.map((i) => [i.id, String(("initial" in i && i.initial) || "")]));
    expect(now.coming).toContain(`${day(3)} 14:00`);
    const moved = { ...now, coming: now.coming!.replace(`${day(3)} 14:00`, `${day(4)} 14:00`), location: "The Hub, room 2" };
    expect((await p.submit("facilitator", entry, "learning-set-change", moved)).status).toBe(200);
    expect(await has("facilitator", "I have told the person in the group privately")).toBe(true);
    const told = textOfEntry(latest(await p.view("expert"), "Changes to Carers' learning set"));
    expect(told).toContain("Meeting 1 has moved.");
    expect(told).toContain("The group now meets at: The Hub, room 2.");

    await skipUntil("expert", "Reminder: Carers' learning set: meeting 1");
    for (let i = 0; i < 2; i++) expect((await p.skip("day")).status).toBe(200);
    const reminders = (await p.view("expert")).filter((e) => textOfEntry(e).includes("Reminder: Carers' learning set: meeting 1"));
    expect(reminders).toHaveLength(1);
    expect(textOfEntry(reminders[0]!)).toContain("The Hub, room 2");
  });
});
