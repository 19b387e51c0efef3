import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World } from "../support/world.ts";
import { backends } from "../support/databases.ts";
import { createCore } from "../../src/core.ts";
import { createSeriesFromTemplate } from "../../src/prompts/index.ts";
import { assignOwner, suggest } from "../../src/feedback/index.ts";
import { cancelPlace, createTaster, signUp } from "../../src/tasters/index.ts";
import { createPanel } from "../../src/panels/index.ts";
import { DAY, HOUR } from "../../src/clock.ts";

/**
 * Every scheduled loop, on the embedded database and (in CI) on PostgreSQL:
 * work is found in the database and claimed there, so two instances ticking
 * at the same moment, or one ticking twice, do it exactly once.
 */
describe.each(backends())("scheduled work on %s", (backend) => {
  let world: World;
  beforeAll(async () => {
    world = await World.open(backend);
  });
  afterAll(() => world.close());
  beforeEach(() => world.reset());

  /** Two instances of wesaid over one database, both ticking now, then one ticking again. */
  async function tickTwiceFromTwoInstances() {
    const other = createCore(world.ctx);
    await Promise.all([world.core.tick(), other.tick()]);
    await world.core.tick();
  }

  it("reflection prompts and their reminders go out once each", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const ali = await world.person(programme, "Ali", "professional");
    await createSeriesFromTemplate(world.ctx, programme.facilitator.id, programme.id, "ladder_check", {
      cron: "0 10 * * 1",
      timeZone: "Europe/London",
      reminderAfterHours: 24,
      maxReminders: 1,
    });
    world.clock.set("2026-03-09T10:00:00Z"); // Monday 10am in London (GMT)
    await tickTwiceFromTwoInstances();
    const deliveries = await world.prisma.promptDelivery.findMany();
    expect(deliveries.filter((d) => d.status === "sent").map((d) => d.personId).sort()).toEqual(expect.arrayContaining([jo.id, ali.id]));
    const firstCount = jo.inbox().length;
    world.clock.advance(25 * HOUR);
    await tickTwiceFromTwoInstances();
    expect(jo.inbox().length).toBe(firstCount + 1); // one reminder, not two
    expect(await world.prisma.outboxMessage.count({ where: { purpose: "prompt.send" } })).toBe(deliveries.filter((d) => d.status === "sent").length);
  });

  it("a freed taster place is offered once, and moves on when the offer runs out", async () => {
    const programme = await world.programme();
    const [a, b, c] = await Promise.all(["Ann", "Bob", "Cat"].map((n) => world.person(programme, n, "expert_by_experience")));
    const taster = await createTaster(world.ctx, programme.facilitator.id, {
      programmeId: programme.id,
      title: "Try a co-design workshop",
      whatToExpect: "Two hours of drawing and talking about a new clinic. No experience needed.",
      audienceRoles: ["expert_by_experience"],
      startsAt: new Date(world.clock.now().getTime() + 7 * DAY),
      endsAt: new Date(world.clock.now().getTime() + 7 * DAY + 2 * HOUR),
      location: "Community centre, room 2",
      capacity: 1,
      offerHoldHours: 24,
    });
    for (const p of [a!, b!, c!]) await signUp(world.ctx, { personId: p.id, role: "expert_by_experience", tasterId: taster.id });
    await cancelPlace(world.ctx, { personId: a!.id, tasterId: taster.id });
    await world.core.flush();
    const bobOffer = await world.prisma.tasterSignup.findUniqueOrThrow({ where: { tasterId_personId: { tasterId: taster.id, personId: b!.id } } });
    expect(bobOffer.status).toBe("offered");
    world.clock.advance(25 * HOUR);
    await tickTwiceFromTwoInstances();
    const statusOf = async (personId: string) =>
      (await world.prisma.tasterSignup.findUniqueOrThrow({ where: { tasterId_personId: { tasterId: taster.id, personId } } })).status;
    expect([await statusOf(a!.id), await statusOf(b!.id), await statusOf(c!.id)]).toEqual(["cancelled", "expired", "offered"]);
    expect(await world.prisma.outboxMessage.count({ where: { personId: c!.id, purpose: { contains: "offer" } } })).toBe(1);
  });

  it("a panel's debrief goes to each member once when it ends", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const priya = await world.person(programme, "Priya", "commissioner");
    await createPanel(world.ctx, programme.facilitator.id, {
      programmeId: programme.id,
      title: "Interview panel",
      startsAt: new Date(world.clock.now().getTime() + DAY),
      endsAt: new Date(world.clock.now().getTime() + DAY + 3 * HOUR),
      members: [{ personId: jo.id }, { personId: priya.id }],
    });
    world.clock.advance(DAY + 3 * HOUR);
    await tickTwiceFromTwoInstances();
    const debriefs = await world.prisma.outboxMessage.findMany({ where: { key: { contains: ":debrief:" } } });
    expect(debriefs.map((d) => d.personId).sort()).toEqual([jo.id, priya.id].sort());
  });

  it("an overdue idea nudges its owner once per interval", async () => {
    const programme = await world.programme();
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const priya = await world.person(programme, "Priya", "commissioner");
    const item = await suggest(world.ctx, { personId: jo.id, programmeId: programme.id, role: "expert_by_experience", text: "Hold some meetings in the evening" });
    await assignOwner(world.ctx, priya.id, { itemId: item.id, ownerId: priya.id, dueAt: new Date(world.clock.now().getTime() + DAY) });
    world.clock.advance(2 * DAY);
    await tickTwiceFromTwoInstances();
    const nudges = () => world.prisma.outboxMessage.count({ where: { personId: priya.id, key: { contains: ":nudge:" } } });
    expect(await nudges()).toBe(1);
    world.clock.advance(world.ctx.settings.feedbackNudgeEveryHours * HOUR);
    await tickTwiceFromTwoInstances();
    expect(await nudges()).toBe(2);
  });

  it("the weekly digest is built and sent once, and missed weeks are caught up", async () => {
    const programme = await world.programme();
    const eva = await world.person(programme, "Eva", "evaluator");
    world.clock.advance(3 * 7 * DAY);
    await tickTwiceFromTwoInstances();
    expect(await world.prisma.digest.count({ where: { programmeId: programme.id } })).toBe(3);
    const sent = await world.prisma.outboxMessage.count({ where: { personId: eva.id, key: { startsWith: "digest:" } } });
    expect(sent).toBe(3);
  });
});
