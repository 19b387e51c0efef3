import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, textOf } from "../../support/world.ts";

// A pause stops every kind of message the people loop sends: the welcome and the unreachable report.
let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

async function joins(externalId: string, displayName: string, channel: string) {
  await world.core.handle({ platform: "local", user: { externalId, displayName }, place: { kind: "channel", externalId: channel }, input: { kind: "action", action: "people.join", args: { role: "professional" } } });
  await world.core.flush();
}

const reports = (messages: { summary: string }[], name: string) => messages.filter((m) => m.summary.includes(`could not reach ${name}`));

describe("the welcome", () => {
  it("is not sent to someone who paused their messages before joining", async () => {
    const programme = await world.programme();
    // Someone wesaid already knows of (an adapter added them, as for an invitation): a stranger has nothing to pause (newcomers.test.ts).
    await world.core.directory.addPeople("local", [{ externalId: "U-pat", displayName: "Pat" }]);
    const paused = await world.core.handle({ platform: "local", user: { externalId: "U-pat", displayName: "Pat" }, place: { kind: "direct" }, input: { kind: "command", text: "pause" } });
    expect(textOf(paused.private)).toContain("Messages are paused");
    await joins("U-pat", "Pat", programme.channel);
    expect(await world.prisma.membership.count({ where: { person: { displayName: "Pat" } } })).toBe(1);
    expect(world.messenger.to("U-pat")).toHaveLength(0);
    const pat = await world.prisma.person.findFirstOrThrow({ where: { displayName: "Pat" } });
    expect(await world.prisma.outboxMessage.count({ where: { purpose: "people.welcome", personId: pat.id } })).toBe(0);
  });
});

describe("telling organisers about people we cannot reach", () => {
  it("tells the organisers, but not one who has paused", async () => {
    const programme = await world.programme();
    const ada = await world.person(programme, "Ada", "admin");
    await programme.facilitator.say("pause");
    world.messenger.unreachable.add("U-sam");
    await joins("U-sam", "Sam", programme.channel);
    await world.tick();
    expect(reports(ada.inbox(), "Sam")).toHaveLength(1);
    expect(reports(programme.facilitator.inbox(), "Sam")).toHaveLength(0);
    // Not held back for later either: resuming brings no old report.
    await programme.facilitator.say("resume");
    await world.tick();
    expect(reports(programme.facilitator.inbox(), "Sam")).toHaveLength(0);
  });

  it("waits for the end of the organiser's quiet hours", async () => {
    const programme = await world.programme();
    world.clock.set("2026-03-02T22:30:00Z"); // 22:30 in London: quiet hours
    world.messenger.unreachable.add("U-sam");
    await joins("U-sam", "Sam", programme.channel);
    await world.tick();
    expect(reports(programme.facilitator.inbox(), "Sam")).toHaveLength(0);
    world.clock.set("2026-03-03T08:00:00Z");
    await world.tick();
    expect(reports(programme.facilitator.inbox(), "Sam")).toHaveLength(1);
  });
});
