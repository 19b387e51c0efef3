import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { everyRowAsText } from "../support/databases.ts";
import { cardText, FakeTeams, findAction, teamsUser, type TeamsUser } from "../support/fake-teams.ts";
import { TeamsWorld } from "./harness.ts";

// A card's data is what the person sent, not what wesaid wrote on the card:
// Teams lets anyone post any Action.Submit value or Action.Execute data. Each
// is checked like typed input (zod in the registry, then who may reach what),
// through the real CloudAdapter. A forged card changes nothing.
const PROGRAMME = "Mental health services review";
let world: TeamsWorld;
beforeAll(async () => {
  world = await TeamsWorld.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

/** Every row, but the handled-event ids: a refusal records its event id too, so a redelivered copy is not handled again. */
async function rows(): Promise<string[]> {
  return (await everyRowAsText(world.db)).filter((r) => r.table !== "ProcessedEvent").map((r) => `${r.table}: ${r.row}`).sort();
}

/** A programme set up in the team's channel, and someone who has installed wesaid but not joined. */
async function arrange(): Promise<{ programmeId: string; kim: TeamsUser }> {
  const fac = await world.install(teamsUser("Sam Facilitator"));
  await world.send(world.build.inChannel(fac, `setup ${PROGRAMME}`));
  const programme = await world.db.programme.findFirstOrThrow({ where: { name: PROGRAMME } });
  const kim = await world.install(teamsUser("Kim Outsider"));
  return { programmeId: programme.id, kim };
}

/** An Action.Submit from the person's 1:1 chat, with data of their own making. */
function forgedSubmit(user: TeamsUser, data: Record<string, unknown>) {
  const activity = world.build.say(user, "");
  delete activity.text;
  activity.value = data;
  return activity;
}

describe("forged card data in Teams", () => {
  it("joining by a made-up Action.Submit from the 1:1 chat (no channel, no invitation) is refused and stores nothing", async () => {
    const { programmeId, kim } = await arrange();
    const before = await rows();
    for (const role of ["expert_by_experience", "facilitator"]) {
      const res = await world.post(forgedSubmit(kim, { wesaid: { action: "people.join" }, programmeId, role }));
      expect(res.status).toBe(200);
    }
    // A made-up invitation is no better.
    await world.post(forgedSubmit(kim, { wesaid: { action: "people.join" }, programmeId, role: "expert_by_experience", invite: "x".repeat(43) }));
    await world.app.core.flush();
    expect(await world.db.membership.count({ where: { programmeId, person: { identities: { some: { externalId: kim.aadObjectId } } } } })).toBe(0);
    expect(cardText(world.lastCard(kim.chat))).toContain("type join in its channel");
    // Only the refusals went out; nothing was stored (the outbox rows of the refusals aside, there are none: replies are direct).
    expect(await rows()).toEqual(before);
  });

  it("the real way in still works: join in the channel, then the role card in the 1:1 chat", async () => {
    const { programmeId, kim } = await arrange();
    await world.send(world.build.inChannel(kim, "join"));
    const choose = world.messageWith(kim.chat, "Expert by experience");
    const action = findAction(FakeTeams.card(choose), "Expert by experience");
    // Someone else pressing Kim's role button (the same data) is refused: the invitation is Kim's.
    const lee = await world.install(teamsUser("Lee Copier"));
    await world.send(world.build.execute(lee, action, {}, { replyToId: choose.id }));
    expect(await world.db.membership.count({ where: { programmeId, person: { identities: { some: { externalId: lee.aadObjectId } } } } })).toBe(0);
    await world.send(world.build.execute(kim, action, {}, { replyToId: choose.id }));
    expect(await world.db.membership.count({ where: { programmeId, person: { identities: { some: { externalId: kim.aadObjectId } } } } })).toBe(1);
  });

  it("prototype keys, nested objects, unknown actions and wrong types in card data are refused without a 5xx or a change", async () => {
    const { programmeId, kim } = await arrange();
    const before = await rows();
    const forged: Record<string, unknown>[] = [
      JSON.parse(`{"wesaid":{"action":"people.join"},"__proto__":{"role":"facilitator"},"programmeId":"${programmeId}"}`),
      { wesaid: { action: "people.join" }, constructor: { prototype: { role: "admin" } }, programmeId },
      { wesaid: { action: "no.such.action" }, programmeId },
      { wesaid: { action: "people.assign_role" }, programmeId, role: "admin", user: "x" },
      { wesaid: { action: "taster.attendance.save" }, tasterId: programmeId, attended: ["a", { b: 1 }] },
      { wesaid: { action: "feedback.suggest", carried: { owners: [{ externalId: "<script>" }] } }, programmeId, text: 42 },
      { wesaid: "not an object", programmeId },
    ];
    for (const data of forged) {
      const res = await world.post(forgedSubmit(kim, data));
      expect(res.status, JSON.stringify(data)).toBeLessThan(500);
    }
    await world.app.core.flush();
    expect(await rows()).toEqual(before);
  });
});
