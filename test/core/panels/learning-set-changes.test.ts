import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HOUR } from "../../../src/clock.ts";
import { World, findButton, findForm, textOf, type TestPerson } from "../../support/world.ts";
import { createLearningSet, type SetInput } from "../../../src/panels/index.ts";
import { createTaster } from "../../../src/tasters/index.ts";
import { sweepSetMeetings } from "../../../src/panels/set-sweeps.ts";
import { sweepDebriefs, sweepPrep } from "../../../src/panels/sweeps.ts";
import type { Block, Message } from "../../../src/messages/model.ts";

/** A facilitator changes a learning set after setting it up; the hold for a freed place is theirs to choose. */

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

const received = (person: TestPerson, words: string) => person.inbox().filter((m) => textOf(m).includes(words));

/** Three monthly meetings from Tuesday 10 March 2026, 10:00 London time; Jo and Ali in it, Sam waiting. */
async function setUp(options: Partial<SetInput> = {}) {
  const programme = await world.programme();
  const [jo, ali, sam] = await Promise.all(["Jo", "Ali", "Sam"].map((n) => world.person(programme, n, "expert_by_experience")));
  const set = await createLearningSet(world.ctx, programme.facilitator.id, {
    programmeId: programme.id,
    name: "Carers' learning set",
    first: "2026-03-10 10:00",
    howOften: "every month",
    meetings: "3",
    capacity: "2",
    ...options,
  });
  for (const p of [jo!, ali!, sam!]) {
    await p.press({ action: "learningset.join", args: { setId: set.id } });
    world.clock.advance(60_000);
  }
  return { programme, fac: programme.facilitator, jo: jo!, ali: ali!, sam: sam!, set };
}

/** Two sweeps of each kind at once, then the outbox. */
async function sweepTwiceAtOnce() {
  const now = world.clock.now();
  await Promise.all([sweepSetMeetings(world.ctx, now), sweepSetMeetings(world.ctx, now)]);
  await Promise.all([sweepPrep(world.ctx, now), sweepPrep(world.ctx, now), sweepDebriefs(world.ctx, now), sweepDebriefs(world.ctx, now)]);
  await world.core.flush();
}

/** The change form, opened from the list as a facilitator would, with its fields as they start. */
async function changeForm(fac: TestPerson) {
  const opened = await fac.press(findButton((await fac.say("learning-set")).private, "Change this group").call);
  const form = findForm(opened.private, "learning-set-change");
  const values = Object.fromEntries(form.inputs.map((i) => [i.id, String(("initial" in i && i.initial) || "")]));
  return { form, values };
}

const facts = (m: Message | undefined) => (m?.blocks ?? []).flatMap((b: Block) => (b.kind === "facts" ? b.facts : []));

describe("changing a learning set", () => {
  it("moves a planned meeting and its place: members are told privately, the reminder and the reflection follow the new time, once", async () => {
    const { fac, jo, ali, sam, set } = await setUp();
    world.clock.set("2026-03-05T09:00:00Z");
    await sweepTwiceAtOnce();
    const { form, values } = await changeForm(fac);
    expect(values).toMatchObject({ name: "Carers' learning set", coming: "2026-03-10 10:00, 2026-04-10 10:00, 2026-05-10 10:00", hours: "2", capacity: "2", offerHoldHours: "24" });

    const saved = await fac.press(form.submit, { ...values, coming: "2026-03-12 10:00, 2026-04-10 10:00, 2026-05-10 10:00", location: "The Hub, room 2" });
    expect(textOf(saved.replaceSource)).toContain("Your changes to Carers' learning set are saved. I have told the 2 people in the group privately.");
    for (const p of [jo, ali]) {
      const told = received(p, "Changes to Carers' learning set");
      expect(told).toHaveLength(1);
      expect(textOf(told[0])).toContain("Meeting 1 has moved. It was on Tuesday 10 March, 10am. It is now on Thursday 12 March, 10am.");
      expect(textOf(told[0])).toContain("The group now meets at: The Hub, room 2.");
      expect(textOf(told[0])).not.toContain("Meeting 2");
    }
    expect(received(sam, "Changes to")).toHaveLength(0);

    // The day before the old time: nothing. The day before the new time: one reminder, saying where.
    world.clock.set("2026-03-09T10:00:00Z");
    await sweepTwiceAtOnce();
    expect(received(jo, "Reminder:")).toHaveLength(0);
    world.clock.set("2026-03-11T10:00:00Z");
    await sweepTwiceAtOnce();
    await sweepTwiceAtOnce();
    const reminders = received(jo, "Reminder: Carers' learning set: meeting 1");
    expect(reminders).toHaveLength(1);
    expect(facts(reminders[0])).toEqual(expect.arrayContaining([{ label: "Where", value: "The Hub, room 2" }, { label: "When", value: expect.stringContaining("Thursday 12 March, 10am") }]));

    // The reflection comes after the new end, not the old one.
    world.clock.set("2026-03-10T12:05:00Z");
    await sweepTwiceAtOnce();
    expect(received(jo, "Time to reflect")).toHaveLength(0);
    world.clock.set("2026-03-12T12:05:00Z");
    await sweepTwiceAtOnce();
    expect(received(jo, "Time to reflect on Carers' learning set: meeting 1")).toHaveLength(1);
  });

  it("a meeting moved after its reminder is reminded again for its new time only; a new name alone sends no reminder", async () => {
    const { fac, jo, set } = await setUp();
    world.clock.set("2026-03-09T10:00:00Z");
    await sweepTwiceAtOnce();
    expect(received(jo, "Reminder:")).toHaveLength(1);

    const { form, values } = await changeForm(fac);
    await fac.press(form.submit, { ...values, coming: "2026-03-10 15:00, 2026-04-10 10:00, 2026-05-10 10:00" });
    world.clock.set("2026-03-09T15:00:00Z");
    await sweepTwiceAtOnce();
    const reminders = received(jo, "Reminder:");
    expect(reminders).toHaveLength(2);
    expect(facts(reminders[1])).toContainEqual({ label: "When", value: expect.stringContaining("Tuesday 10 March, 3pm") });

    const again = await changeForm(fac);
    await fac.press(again.form.submit, { ...again.values, name: "Carers' circle" });
    await sweepTwiceAtOnce();
    expect(received(jo, "Reminder:")).toHaveLength(2);
    expect(textOf(received(jo, "Changes to Carers' circle")[0])).toContain("The group is now called Carers' circle.");
    expect(await world.prisma.panel.findFirstOrThrow({ where: { learningSetId: set.id } })).toMatchObject({ title: "Carers' circle: meeting 1" });
  });

  it("meetings not planned yet follow the new dates, and one added is planned in its turn", async () => {
    const { fac, jo, set } = await setUp();
    world.clock.set("2026-03-11T09:00:00Z");
    const { form, values } = await changeForm(fac);
    expect(values.coming).toBe("2026-04-10 10:00, 2026-05-10 10:00");
    await fac.press(form.submit, { ...values, coming: "2026-04-14 10:00, 2026-06-01 10:00, 2026-07-01 10:00" });
    const told = textOf(received(jo, "Changes to")[0]);
    expect(told).toContain("Meeting 2 has moved. It was on Friday 10 April, 10am. It is now on Tuesday 14 April, 10am.");
    expect(told).toContain("Meeting 3 has moved.");
    expect(told).toContain("There is a new meeting: meeting 4, on Wednesday 1 July, 10am.");
    expect(textOf((await jo.say("learning-set")).private)).toContain("Tuesday 14 April, 10am");

    world.clock.set("2026-04-13T10:00:00Z");
    await sweepTwiceAtOnce();
    expect(received(jo, "Reminder: Carers' learning set: meeting 2")).toHaveLength(1);
    for (const day of ["2026-05-31T10:00:00Z", "2026-06-30T10:00:00Z"]) {
      world.clock.set(day);
      await sweepTwiceAtOnce();
    }
    expect(received(jo, "Reminder: Carers' learning set: meeting 3")).toHaveLength(1);
    expect(received(jo, "Reminder: Carers' learning set: meeting 4")).toHaveLength(1);
    expect((await world.prisma.panel.findMany({ where: { learningSetId: set.id }, orderBy: { startsAt: "asc" } })).map((p) => p.meetingNumber)).toEqual([2, 3, 4]);

    const later = await changeForm(fac);
    const dropped = await fac.press(later.form.submit, { ...later.values, coming: "" });
    expect(textOf(dropped.private)).toContain("To stop the meetings, end the group instead.");
    const past = await fac.press(later.form.submit, { ...later.values, coming: "2026-06-01 10:00" });
    expect(textOf(past.private)).toContain("would already have started");
  });

  it("will not make the group smaller than the people in it, and offers new places to those waiting with the hold the facilitator chose", async () => {
    const { programme, fac, jo, set } = await setUp({ capacity: "3" });
    const lee = await world.person(programme, "Lee", "expert_by_experience");
    await lee.press({ action: "learningset.join", args: { setId: set.id } });
    const { form, values } = await changeForm(fac);
    const refused = await fac.press(form.submit, { ...values, capacity: "2" });
    expect(textOf(refused.private)).toContain("There are 3 people in the group, so it needs at least 3 places. Nobody has been taken out. To make it smaller, ask someone to leave first.");
    expect(await world.prisma.learningSet.findUniqueOrThrow({ where: { id: set.id } })).toMatchObject({ capacity: 3 });
    expect(await world.prisma.learningSetPlace.count({ where: { setId: set.id, status: "booked" } })).toBe(3);

    const tooLong = await fac.press(form.submit, { ...values, offerHoldHours: "500" });
    expect(textOf(tooLong.private)).toContain("as a whole number from 1 to 168 (a week)");

    const saved = await fac.press(form.submit, { ...values, capacity: "4", offerHoldHours: "48" });
    expect(textOf(saved.replaceSource)).toContain("Nothing the members need to know about changed, so I have not messaged them.");
    expect(received(jo, "Changes to")).toHaveLength(0);
    expect(received(lee, "A place came free in Carers' learning set")).toHaveLength(1);
    expect(await world.prisma.learningSetPlace.findUniqueOrThrow({ where: { setId_personId: { setId: set.id, personId: lee.id } } })).toMatchObject({
      status: "offered",
      offerExpiresAt: new Date(world.clock.now().getTime() + 48 * HOUR),
    });
  });

  it("only a facilitator may change a set, and an ended set cannot be changed", async () => {
    const { fac, jo, set } = await setUp();
    expect((await jo.press({ action: "learningset.change", args: { setId: set.id } })).error?.code).toBe("not_allowed");
    expect(textOf((await jo.say("learning-set")).private)).not.toContain("Change this group");
    const { form, values } = await changeForm(fac);
    expect((await jo.press(form.submit, { ...values, name: "Mine now" })).error?.code).toBe("not_allowed");
    await fac.press({ action: "learningset.end", args: { setId: set.id } });
    expect(textOf((await fac.press(form.submit, values)).private)).toContain("has already ended");
  });
});

describe("how long a freed place is held", () => {
  it("is chosen when a set is set up, within the same bounds as a taster's", async () => {
    const programme = await world.programme();
    const base = { programmeId: programme.id, name: "Peer set", first: "2026-04-01 10:00", howOften: "monthly", capacity: "4" };
    await expect(createLearningSet(world.ctx, programme.facilitator.id, { ...base, offerHoldHours: "0" })).rejects.toThrow("from 1 to 168");
    await expect(
      createTaster(world.ctx, programme.facilitator.id, {
        programmeId: programme.id,
        title: "Try it",
        whatToExpect: "Tea and talk",
        audienceRoles: [],
        startsAt: "2026-04-01 10:00",
        endsAt: "2026-04-01 11:00",
        location: "Library",
        capacity: 4,
        offerHoldHours: "200",
      }),
    ).rejects.toThrow("from 1 to 168");
    const set = await createLearningSet(world.ctx, programme.facilitator.id, { ...base, offerHoldHours: "6", location: "Library" });
    expect(set).toMatchObject({ offerHoldHours: 6, location: "Library" });
    const form = findForm((await programme.facilitator.say("learning-set new")).private, "learning-set-new");
    expect(form.inputs.find((i) => i.id === "offerHoldHours")).toMatchObject({ label: "When a place frees up, hold it for the next person for how many hours?", initial: "24" });
  });
});
