import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World } from "../support/world.ts";
import { backends } from "../support/databases.ts";
import { MESSAGE_KINDS, recipients, tellPeople, type MessageKind } from "../../src/gate.ts";
import { message, para } from "../../src/messages/model.ts";
import { HOUR } from "../../src/clock.ts";

// The one place that decides whether and when a person may be messaged.
describe.each(backends())("the recipients gate on %s", (backend) => {
  let world: World;
  beforeAll(async () => {
    world = await World.open(backend, {}, { observeQueries: true });
  });
  afterAll(() => world.close());
  beforeEach(() => world.reset());

  const ask = (programmeId: string, personIds: string[], kind: MessageKind = "prompt", extra: Partial<Parameters<typeof recipients>[2]> = {}) =>
    recipients(world.prisma, world.clock.now(), { kind, programmeId, personIds, ...extra });

  it("lets through a member who agreed, now, in their own time zone", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    await world.prisma.preference.update({ where: { personId: jo.id }, data: { timeZone: "Asia/Tokyo", quietStart: 22 * 60, quietEnd: 7 * 60 } });
    // 09:00 in London is 18:00 in Tokyo: not quiet.
    expect((await ask(programme.id, [jo.id])).get(jo.id)).toEqual({ send: true, at: world.clock.now(), timeZone: "Asia/Tokyo" });
  });

  it("holds every kind of message for a person who has paused", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    await jo.say("pause");
    for (const kind of Object.keys(MESSAGE_KINDS) as MessageKind[]) {
      expect((await ask(programme.id, [jo.id], kind)).get(jo.id), kind).toEqual({ send: false, reason: "paused" });
    }
  });

  it("waits for the end of quiet hours, except for the welcome a person gets as they join", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    world.clock.set("2026-03-02T22:30:00Z"); // 22:30 in London: quiet until 08:00
    const held = (await ask(programme.id, [jo.id], "feedback")).get(jo.id);
    expect(held).toEqual({ send: true, at: new Date("2026-03-03T08:00:00Z"), timeZone: "Europe/London" });
    expect((await ask(programme.id, [jo.id], "welcome")).get(jo.id)).toMatchObject({ send: true, at: world.clock.now() });
  });

  it("sends someone who has not said yes to the programme's current consent words nothing but the welcome and the consent question", async () => {
    const programme = await world.programme();
    const notYet = await world.person(programme, "Sam", "expert_by_experience", { consent: false });
    const agreed = await world.person(programme, "Jo", "expert_by_experience");
    const asking = new Set<MessageKind>(["welcome", "consent"]);
    for (const kind of Object.keys(MESSAGE_KINDS) as MessageKind[]) {
      const decisions = await ask(programme.id, [notYet.id, agreed.id], kind);
      expect(decisions.get(notYet.id), kind).toEqual(asking.has(kind) ? expect.objectContaining({ send: true }) : { send: false, reason: "no_consent" });
      expect(decisions.get(agreed.id), kind).toMatchObject({ send: true });
    }
    // The words change: a yes to the old words no longer counts.
    await world.prisma.programme.update({ where: { id: programme.id }, data: { consentVersion: 2 } });
    for (const kind of Object.keys(MESSAGE_KINDS) as MessageKind[]) {
      const decision = (await ask(programme.id, [agreed.id], kind)).get(agreed.id);
      expect(decision, kind).toEqual(asking.has(kind) ? expect.objectContaining({ send: true }) : { send: false, reason: "consent_outdated" });
    }
  });

  it("holds people outside the programme, erased people, people we cannot reach and people who opted out", async () => {
    const programme = await world.programme();
    const other = await world.programme("Another programme");
    const outsider = await world.person(other, "Ola", "expert_by_experience");
    const unreachable = await world.person(programme, "Uma", "expert_by_experience");
    const stopped = await world.person(programme, "Sol", "expert_by_experience");
    const erased = await world.person(programme, "Eve", "expert_by_experience");
    await world.prisma.platformIdentity.updateMany({ where: { personId: unreachable.id }, data: { reachable: false } });
    await world.prisma.messageOptOut.create({ data: { personId: stopped.id, scope: "series:abc" } });
    await world.prisma.person.update({ where: { id: erased.id }, data: { erasedAt: world.clock.now() } });
    const decisions = await ask(programme.id, [outsider.id, unreachable.id, stopped.id, erased.id], "prompt", { scope: "series:abc" });
    expect(Object.fromEntries([...decisions].map(([id, d]) => [id, d.send ? "send" : d.reason]))).toEqual({
      [outsider.id]: "not_a_member",
      [unreachable.id]: "unreachable",
      [stopped.id]: "opted_out",
      [erased.id]: "erased",
    });
    // The opt-out is for that scope only.
    expect((await ask(programme.id, [stopped.id], "prompt", { scope: "series:other" })).get(stopped.id)).toMatchObject({ send: true });
  });

  it("stops reminders at the smaller of the item's limit and the person's own", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const sam = await world.person(programme, "Sam", "expert_by_experience");
    await world.prisma.preference.update({ where: { personId: sam.id }, data: { reminderLimit: 0 } });
    const sent = new Map([[jo.id, 1], [sam.id, 0]]);
    const once = await ask(programme.id, [jo.id, sam.id], "reminder", { reminders: { sent, max: 2 } });
    expect(once.get(jo.id)).toMatchObject({ send: true });
    expect(once.get(sam.id)).toEqual({ send: false, reason: "reminder_limit" });
    const twice = await ask(programme.id, [jo.id], "reminder", { reminders: { sent: new Map([[jo.id, 2]]), max: 2 } });
    expect(twice.get(jo.id)).toEqual({ send: false, reason: "reminder_limit" });
  });

  it("decides for a whole fan-out in the same few statements, whatever its size", async () => {
    const programme = await world.programme();
    const people = [];
    for (let i = 0; i < 40; i++) people.push(await world.person(programme, `P${i}`, "expert_by_experience"));
    const count = async (ids: string[]) => {
      let statements = 0;
      const stop = world.db.onQuery(() => statements++);
      const decisions = await ask(programme.id, ids, "prompt", { scope: "series:x" });
      stop();
      expect(decisions.size).toBe(ids.length);
      return statements;
    };
    const few = await count(people.slice(0, 2).map((p) => p.id));
    const many = await count(people.map((p) => p.id));
    expect(many).toBe(few);
    expect(many).toBeLessThanOrEqual(7); // the programme's consent version, members, people, preferences, accounts, consents, opt-outs
  });

  it("queues a message only for the people it lets through, at their own time", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const sam = await world.person(programme, "Sam", "expert_by_experience");
    await sam.say("pause");
    world.clock.set("2026-03-02T23:00:00Z");
    const told = await world.prisma.$transaction((tx) =>
      tellPeople(tx, world.clock.now(), { kind: "feedback", programmeId: programme.id, personIds: [jo.id, sam.id] }, (personId, timeZone) => ({
        key: `test:${personId}`,
        purpose: "test",
        message: message("News", para(`News for you (${timeZone})`)),
      })),
    );
    expect(told).toEqual([jo.id]);
    const rows = await world.prisma.outboxMessage.findMany({ where: { purpose: "test" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.nextAttemptAt.getTime()).toBe(new Date("2026-03-03T08:00:00Z").getTime());
    world.clock.advance(10 * HOUR);
    await world.core.flush();
    expect(jo.inbox().at(-1)?.summary).toBe("News");
  });
});
