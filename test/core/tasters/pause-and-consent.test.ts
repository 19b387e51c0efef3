import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, textOf, type TestPerson } from "../../support/world.ts";
import { createTaster, type TasterInput } from "../../../src/tasters/index.ts";
import { recordConsent } from "../../../src/people/index.ts";

/** What a pause and a "no" to taking part mean for taster sessions. */

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

async function setUp(capacity: number) {
  const programme = await world.programme();
  const input: TasterInput = {
    programmeId: programme.id,
    title: "Drawing together",
    whatToExpect: "We will sit in a circle and try some drawing.",
    audienceRoles: [],
    startsAt: new Date("2026-03-10T14:00:00Z"),
    endsAt: new Date("2026-03-10T16:00:00Z"),
    location: "The Hub, Room 2",
    capacity,
  };
  const taster = await createTaster(world.ctx, programme.facilitator.id, input);
  await world.core.flush();
  return { programme, taster };
}

const signUp = (person: TestPerson, tasterId: string) => person.press({ action: "taster.signup", args: { tasterId } });

async function statuses(tasterId: string) {
  const rows = await world.prisma.tasterSignup.findMany({ where: { tasterId } });
  return Object.fromEntries(rows.map((r) => [r.personId, r.status]));
}

describe("taking part", () => {
  it("refuses a sign-up from a member who said no to taking part (or never said yes), and stores nothing", async () => {
    const { programme, taster } = await setUp(5);
    const no = await world.person(programme, "Nadia", "expert_by_experience", { consent: false });
    await recordConsent(world.ctx, { personId: no.id, programmeId: programme.id, participation: false, quotation: false });
    const notYet = await world.person(programme, "Noor", "expert_by_experience", { consent: false });
    const postsBefore = world.messenger.updated.length;

    for (const person of [no, notYet]) {
      const reply = await signUp(person, taster.id);
      expect(reply.error?.code).toBe("no_consent");
      expect(person.inbox().some((m) => textOf(m).includes("You have a place"))).toBe(false);
    }
    expect(await world.prisma.tasterSignup.count()).toBe(0);
    expect(world.messenger.updated.length).toBe(postsBefore);
  });

  it("refuses to take an offered place for someone who has since said no to taking part", async () => {
    const { programme, taster } = await setUp(1);
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const ali = await world.person(programme, "Ali", "expert_by_experience");
    await signUp(jo, taster.id);
    world.clock.advanceMinutes(1);
    await signUp(ali, taster.id);
    await jo.press({ action: "taster.cancel", args: { tasterId: taster.id } });
    const offer = ali.lastMessage();
    world.clock.advanceMinutes(1);
    await recordConsent(world.ctx, { personId: ali.id, programmeId: programme.id, participation: false, quotation: false });
    expect((await ali.press(findButton(offer, "Yes, I will come").call)).error?.code).toBe("no_consent");
    expect(await statuses(taster.id)).toMatchObject({ [ali.id]: "offered" });
  });
});

describe("a paused person", () => {
  it("gets no taster message at all: no booking confirmation, no offer (the place goes to the next person), no reminder, no cancellation notice", async () => {
    const { programme, taster } = await setUp(2);
    const pat = await world.person(programme, "Pat", "expert_by_experience");
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const kim = await world.person(programme, "Kim", "expert_by_experience");
    const ali = await world.person(programme, "Ali", "expert_by_experience");
    await pat.say("pause");
    await kim.say("pause");
    const patBefore = pat.inbox().length;
    const kimBefore = kim.inbox().length;

    // Pat books while paused: the reply says so, but no message follows.
    expect(textOf((await signUp(pat, taster.id)).private)).toContain("You have a place");
    world.clock.advanceMinutes(1);
    await signUp(jo, taster.id);
    expect(textOf(jo.lastMessage())).toContain("You have a place");
    world.clock.advanceMinutes(1);
    expect(textOf((await signUp(kim, taster.id)).private)).toContain("number 1 on the waiting list");
    world.clock.advanceMinutes(1);
    await signUp(ali, taster.id);

    // Jo's place is freed: Kim is first in the queue but paused, so it is offered to Ali; Kim keeps her place in the queue.
    await jo.press({ action: "taster.cancel", args: { tasterId: taster.id } });
    expect(await statuses(taster.id)).toMatchObject({ [pat.id]: "booked", [jo.id]: "cancelled", [kim.id]: "waitlisted", [ali.id]: "offered" });
    await ali.press(findButton(ali.lastMessage(), "Yes, I will come").call);

    // The day before: Ali is reminded, Pat is not.
    world.clock.set("2026-03-09T14:00:00Z");
    await world.tick();
    await world.tick();
    expect(ali.inbox().filter((m) => textOf(m).includes("Reminder: Drawing together"))).toHaveLength(1);

    // The session is cancelled: Ali is told; Pat and Kim are not, and the organiser is told so by name.
    const done = await programme.facilitator.press({ action: "taster.cancel_session", args: { tasterId: taster.id, reason: "The artist is ill." } });
    expect(textOf(done.replaceSource)).toContain("Pat");
    expect(textOf(done.replaceSource)).toContain("Kim");
    await world.tick();
    expect(ali.inbox().filter((m) => m.summary === "Cancelled: Drawing together")).toHaveLength(1);

    expect(pat.inbox()).toHaveLength(patBefore);
    expect(kim.inbox()).toHaveLength(kimBefore);
  });

  it("is not asked afterwards whether it was what they expected", async () => {
    const { programme, taster } = await setUp(5);
    const jo = await world.person(programme, "Jo", "expert_by_experience");
    const pat = await world.person(programme, "Pat", "expert_by_experience");
    await signUp(jo, taster.id);
    await signUp(pat, taster.id);
    await pat.say("pause");
    const patBefore = pat.inbox().length;

    world.clock.set("2026-03-10T18:00:00Z");
    await world.tick();
    await world.tick();
    expect(jo.inbox().filter((m) => textOf(m).includes("Was it what you expected?"))).toHaveLength(1);
    expect(pat.inbox()).toHaveLength(patBefore);
  });
});
