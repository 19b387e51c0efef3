import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, textOf } from "../../support/world.ts";
import { createSeriesFromTemplate } from "../../../src/prompts/index.ts";
import { createTaster } from "../../../src/tasters/index.ts";

/** Leaving a programme: no erasing, no more messages of any kind from it, a way back. */

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

describe("leave", () => {
  it("asks first, and a no changes nothing", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const ask = await jo.say("leave");
    expect(textOf(ask.private)).toContain("What you told us stays");
    const stay = await jo.press(findButton(ask.private, "No, stay").call);
    expect(textOf(stay.replaceSource)).toContain("still in the programme");
    expect(await world.prisma.membership.count({ where: { personId: jo.id } })).toBe(1);
  });

  it("ends the membership, keeps the data, and no message of any kind reaches them afterwards", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const priya = await world.person(programme, "Priya", "commissioner");
    await createSeriesFromTemplate(world.ctx, programme.facilitator.id, programme.id, "ndti_survey", { cron: "0 10 * * 3", timeZone: "Europe/London" });
    const taster = await createTaster(world.ctx, programme.facilitator.id, {
      programmeId: programme.id,
      title: "Drawing together",
      whatToExpect: "We will sit in a circle and try some drawing.",
      audienceRoles: [],
      startsAt: new Date("2026-03-06T14:00:00Z"),
      endsAt: new Date("2026-03-06T16:00:00Z"),
      location: "The Hub",
      capacity: 10,
    });
    await jo.press({ action: "taster.signup", args: { tasterId: taster.id } });
    await jo.say("suggest A quiet room before meetings");
    // Late evening: news about her idea waits for the morning, then she leaves.
    world.clock.set("2026-03-02T23:00:00Z");
    await priya.press({ action: "feedback.status", args: { item: "#1", status: "agreed", programmeId: programme.id } });
    const queued = await world.prisma.outboxMessage.findMany({ where: { personId: jo.id, status: "pending" } });
    expect(queued.length).toBeGreaterThan(0);
    const ask = await jo.say("leave");
    const left = await jo.press(findButton(ask.private, "Yes, leave").call);
    expect(textOf(left.replaceSource)).toContain("You have left Mental health services review");

    const inbox = jo.inbox().length;
    await priya.say(`update #1 We booked the quiet room`);
    await priya.press({ action: "feedback.status", args: { item: "#1", status: "done", programmeId: programme.id } });
    for (const when of ["2026-03-03T08:00:00Z", "2026-03-04T10:00:00Z", "2026-03-05T14:00:00Z", "2026-03-06T17:00:00Z", "2026-03-09T09:00:00Z"]) {
      world.clock.set(when);
      await world.tick();
      await world.tick();
    }
    expect(jo.inbox().slice(inbox)).toEqual([]);
    const held = await world.prisma.outboxMessage.findMany({ where: { id: { in: queued.map((q) => q.id) } } });
    expect(held.every((m) => m.status === "withheld" && m.lastError === "the person left the programme")).toBe(true);

    // Nothing was erased, and my-data still works.
    expect(await world.prisma.feedbackItem.count({ where: { raisedById: jo.id } })).toBe(1);
    expect(await world.prisma.tasterSignup.count({ where: { personId: jo.id } })).toBe(1);
    expect(await world.prisma.consentRecord.count({ where: { personId: jo.id } })).toBeGreaterThan(0);
    expect(await world.prisma.membership.count({ where: { personId: jo.id } })).toBe(0);
    const data = textOf((await jo.say("my-data")).private);
    expect(data).toContain("Ideas you raised: 1");
    expect(data).toContain("you said yes to us storing what you tell us");
    // She cannot act in it any more, and can come back through the channel.
    expect((await jo.say("suggest Another idea")).error?.code).toBe("not_a_member");
    const back = await jo.press({ action: "people.join", args: { programmeId: programme.id, role: "expert_by_experience" } }, {}, "channel");
    expect(back.error).toBeUndefined();
    expect(jo.inbox().slice(inbox).map((m) => m.summary)).toEqual(["Welcome to Mental health services review"]);
  });

  it("does not let the only facilitator leave people without one", async () => {
    const programme = await world.programme();
    await world.person(programme, "Jo", "expert_by_experience");
    const reply = await programme.facilitator.press({ action: "people.leave.confirm", args: { programmeId: programme.id } });
    expect(reply.error?.code).toBe("conflict");
    expect(await world.prisma.membership.count({ where: { personId: programme.facilitator.id } })).toBe(1);
  });
});
