import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, findForm, textOf, type TestPerson } from "../../support/world.ts";
import { backends } from "../../support/databases.ts";
import { cancelSession, createTaster, type TasterInput } from "../../../src/tasters/index.ts";
import { cancellationSendTime } from "../../../src/tasters/rules.ts";
import { recordConsent } from "../../../src/people/index.ts";
import { nextAllowedTime } from "../../../src/time.ts";
import type { Block, Message } from "../../../src/messages/model.ts";

function fileIn(msg: Message | undefined): Extract<Block, { kind: "file" }> | undefined {
  return msg?.blocks.find((b): b is Extract<Block, { kind: "file" }> => b.kind === "file");
}

/** The button under the line that names a person on the attendance sheet. */
function buttonFor(sheet: Message | undefined, name: string, label: string) {
  const blocks = sheet?.blocks ?? [];
  const at = blocks.findIndex((b) => b.kind === "text" && b.text.startsWith(`${name}:`));
  const row = blocks[at + 1];
  const found = row?.kind === "buttons" ? row.buttons.find((b) => b.label === label) : undefined;
  if (!found) throw new Error(`no ${label} button for ${name}`);
  return found.call;
}

const WHAT_TO_EXPECT = "We will sit in a circle and try some drawing. Nobody has to share their work. Tea and biscuits.";

function tasterInput(programmeId: string, extra: Partial<TasterInput> = {}): TasterInput {
  return {
    programmeId,
    title: "Drawing together",
    whatToExpect: WHAT_TO_EXPECT,
    audienceRoles: [],
    startsAt: new Date("2026-03-10T14:00:00Z"),
    endsAt: new Date("2026-03-10T16:00:00Z"),
    location: "The Hub, Room 2",
    accessibility: "Step-free. Hearing loop.",
    capacity: 2,
    offerHoldHours: 24,
    ...extra,
  };
}

describe.each(backends())("taster sessions on %s", (backend) => {
  let world: World;
  beforeAll(async () => {
    world = await World.open(backend);
  });
  afterAll(() => world.close());
  beforeEach(() => world.reset());

  async function setUp(extra: Partial<TasterInput> = {}) {
    const programme = await world.programme();
    const taster = await createTaster(world.ctx, programme.facilitator.id, tasterInput(programme.id, extra));
    await world.core.flush();
    return { programme, taster };
  }

  async function signUp(person: TestPerson, tasterId: string) {
    return person.press({ action: "taster.signup", args: { tasterId } });
  }

  async function statuses(tasterId: string) {
    const rows = await world.prisma.tasterSignup.findMany({ where: { tasterId }, include: { taster: false } });
    return Object.fromEntries(rows.map((r) => [r.personId, r.status]));
  }

  function latestPost(channel: string): Message | undefined {
    const updated = world.messenger.updated.filter((u) => u.ref.to === channel);
    return updated.length ? updated[updated.length - 1]!.message : world.messenger.toChannel(channel).at(-1);
  }

  describe("creating a taster", () => {
    it("lets a facilitator fill in the form, and posts what to expect, when, where, access and places to the channel", async () => {
      const programme = await world.programme();
      const form = findForm((await programme.facilitator.say("taster new")).private, "taster-new");
      const reply = await programme.facilitator.press(form.submit, {
        title: "Music and memories",
        whatToExpect: "A musician plays old songs. You can sing along or just listen.",
        audienceRoles: "expert_by_experience\nprofessional",
        startsAt: "2026-03-10 14:00",
        endsAt: "2026-03-10 15:30",
        location: "Library, Market Street",
        onlineUrl: "",
        accessibility: "Step-free",
        capacity: "8",
        offerHoldHours: "",
      });
      expect(reply.error).toBeUndefined();
      const taster = await world.prisma.taster.findFirstOrThrow();
      expect(taster).toMatchObject({
        capacity: 8,
        offerHoldHours: 24,
        audienceRoles: ["expert_by_experience", "professional"],
        startsAt: new Date("2026-03-10T14:00:00Z"),
        reminderDueAt: new Date("2026-03-09T14:00:00Z"),
        followUpDueAt: new Date("2026-03-10T17:30:00Z"),
      });
      const post = world.messenger.toChannel(programme.channel).at(-1);
      const text = textOf(post);
      expect(text).toContain("Music and memories");
      expect(text).toContain("You can sing along or just listen");
      expect(text).toContain("When: Tuesday 10 March, 2pm to 3:30pm");
      expect(text).toContain("Where: Library, Market Street");
      expect(text).toContain("Access: Step-free");
      expect(text).toContain("Places left: 8 of 8");
      expect(findButton(post, "Sign up").call).toEqual({ action: "taster.signup", args: { tasterId: taster.id } });
      findButton(post, "Cancel my place");
      const outbox = await world.prisma.outboxMessage.findFirstOrThrow({ where: { purpose: "taster.post" } });
      expect(outbox.key).toBe(`taster:${taster.id}:post:${outbox.channelId}`);
    });

    it("refuses malformed sessions with a clear sentence and stores nothing", async () => {
      const programme = await world.programme();
      const fac = programme.facilitator;
      const cases: [Partial<TasterInput>, string][] = [
        [{ capacity: 0 }, "at least 1"],
        [{ endsAt: new Date("2026-03-10T13:00:00Z") }, "must end after it starts"],
        [{ location: undefined, onlineUrl: undefined }, "say where it is"],
        [{ whatToExpect: "  " }, '"What to expect" is needed'],
        [{ startsAt: new Date("2026-03-01T10:00:00Z"), endsAt: new Date("2026-03-01T11:00:00Z") }, "already passed"],
        [{ onlineUrl: "javascript:alert(1)" }, "https://"],
        [{ startsAt: "next tuesday" as unknown as Date }, "like 2026-03-10 14:00"],
      ];
      for (const [extra, sentence] of cases) {
        await expect(createTaster(world.ctx, fac.id, tasterInput(programme.id, extra))).rejects.toMatchObject({ code: "invalid_input", userMessage: expect.stringContaining(sentence) });
      }
      const viaForm = await fac.press({ action: "taster.create", args: { programmeId: programme.id } }, { title: "x", whatToExpect: "y", startsAt: "2026-03-10 14:00", endsAt: "2026-03-10 15:00", location: "Hub", capacity: "0" });
      expect(viaForm.error?.code).toBe("invalid_input");
      expect(textOf(viaForm.private)).toContain('"How many places" must be at least 1');
      expect(await world.prisma.taster.count()).toBe(0);
    });

    it("lets only facilitators create tasters", async () => {
      const programme = await world.programme();
      const jo = await world.person(programme, "Jo", "expert_by_experience");
      expect((await jo.say("taster new")).error?.code).toBe("not_allowed");
      const form = { title: "Drawing together", whatToExpect: WHAT_TO_EXPECT, startsAt: "2026-03-10 14:00", endsAt: "2026-03-10 16:00", location: "The Hub", capacity: "2" };
      expect((await jo.press({ action: "taster.create", args: { programmeId: programme.id } }, form)).error?.code).toBe("not_allowed");
      expect(await world.prisma.taster.count()).toBe(0);
    });
  });

  describe("signing up", () => {
    it("books a place with a calendar invite, then waitlists with a position once full, and updates the post in place", async () => {
      const { programme, taster } = await setUp();
      const [jo, ali, sam, kim] = await Promise.all(["Jo", "Ali", "Sam", "Kim"].map((n) => world.person(programme, n, "expert_by_experience")));

      const booked = await signUp(jo!, taster.id);
      expect(textOf(booked.private)).toContain("You have a place at this session: Drawing together");
      const confirmation = jo!.lastMessage();
      expect(textOf(confirmation)).toContain(WHAT_TO_EXPECT);
      const ics = fileIn(confirmation);
      expect(ics?.mimeType).toBe("text/calendar");
      expect(ics?.content).toContain(`UID:taster-${taster.id}@wesaid`);
      expect(ics?.content).toContain("DTSTART:20260310T140000Z");
      expect(ics?.content).toContain("\r\n");
      expect(textOf(latestPost(programme.channel))).toContain("Places left: 1 of 2");

      await signUp(ali!, taster.id);
      expect(textOf(latestPost(programme.channel))).toContain("Places left: None");
      world.clock.advanceMinutes(1);
      expect(textOf((await signUp(sam!, taster.id)).private)).toContain("You are number 1 on the waiting list");
      world.clock.advanceMinutes(1);
      expect(textOf((await signUp(kim!, taster.id)).private)).toContain("You are number 2 on the waiting list");
      expect(fileIn(sam!.inbox().at(-1))).toBeUndefined();

      expect(textOf((await signUp(jo!, taster.id)).private)).toContain("already have a place");
      expect(textOf((await signUp(kim!, taster.id)).private)).toContain("You are number 2");
      expect(await statuses(taster.id)).toEqual({ [jo!.id]: "booked", [ali!.id]: "booked", [sam!.id]: "waitlisted", [kim!.id]: "waitlisted" });
    });

    it("refuses people outside the audience, and sessions that are cancelled or already started", async () => {
      const { programme, taster } = await setUp({ audienceRoles: ["expert_by_experience"] });
      const priya = await world.person(programme, "Priya", "commissioner");
      const jo = await world.person(programme, "Jo", "expert_by_experience");
      const wrong = await signUp(priya, taster.id);
      expect(wrong.error?.code).toBe("not_allowed");
      expect(textOf(wrong.private)).toContain("this session is for: Expert by experience");

      await world.prisma.taster.update({ where: { id: taster.id }, data: { cancelledAt: world.clock.now() } });
      const cancelled = await signUp(jo, taster.id);
      expect(cancelled.error?.code).toBe("closed");
      expect(textOf(cancelled.private)).toContain("cancelled");

      await world.prisma.taster.update({ where: { id: taster.id }, data: { cancelledAt: null } });
      world.clock.set("2026-03-10T14:05:00Z");
      const late = await signUp(jo, taster.id);
      expect(late.error?.code).toBe("closed");
      expect(textOf(late.private)).toContain("already started");

      const outsider = await world.programme("Another programme");
      const stranger = await world.person(outsider, "Stranger", "expert_by_experience");
      expect((await signUp(stranger, taster.id)).error?.code).toBe("not_a_member");
      expect((await signUp(jo, "no-such-taster")).error?.code).toBe("not_found");
      expect(await world.prisma.tasterSignup.count()).toBe(0);
    });

    it("never books more people than there are places when many sign up at once", async () => {
      const { programme, taster } = await setUp({ capacity: 3 });
      const people = await Promise.all(Array.from({ length: 8 }, (_, i) => world.person(programme, `Person ${i}`, "expert_by_experience")));
      const replies = await Promise.all(people.map((p) => signUp(p, taster.id)));
      expect(replies.every((r) => !r.error)).toBe(true);
      const rows = await world.prisma.tasterSignup.findMany({ where: { tasterId: taster.id } });
      expect(rows.filter((r) => r.status === "booked")).toHaveLength(3);
      expect(rows.filter((r) => r.status === "waitlisted")).toHaveLength(5);
      const positions = replies.map((r) => /number (\d+)/.exec(textOf(r.private))?.[1]).filter(Boolean).map(Number).sort();
      expect(positions).toEqual([1, 2, 3, 4, 5]);
    });

    it("lists upcoming sessions with sign-up buttons for the `taster` command", async () => {
      const { programme, taster } = await setUp();
      const jo = await world.person(programme, "Jo", "expert_by_experience");
      const list = (await jo.say("tasters")).private;
      expect(textOf(list)).toContain("Drawing together");
      expect(textOf(list)).toContain(WHAT_TO_EXPECT);
      await jo.press(findButton(list, "Sign up").call);
      const again = (await jo.say("taster")).private;
      expect(textOf(again)).toContain("You have a place");
      expect(findButton(again, "Cancel my place").call.args).toEqual({ tasterId: taster.id });
    });
  });

  describe("cancelling and the waiting list", () => {
    it("offers a freed place to the next person in the queue, moves on when the hold runs out, and books the one who accepts", async () => {
      const { programme, taster } = await setUp({ capacity: 1, offerHoldHours: 24 });
      const jo = await world.person(programme, "Jo", "expert_by_experience");
      const ali = await world.person(programme, "Ali", "expert_by_experience");
      const sam = await world.person(programme, "Sam", "expert_by_experience");
      await signUp(jo, taster.id);
      world.clock.advanceMinutes(1);
      await signUp(ali, taster.id);
      world.clock.advanceMinutes(1);
      await signUp(sam, taster.id);

      world.clock.set("2026-03-03T10:00:00Z");
      const cancelled = await jo.press({ action: "taster.cancel", args: { tasterId: taster.id } });
      expect(textOf(cancelled.private)).toContain("Your place is cancelled: Drawing together");
      expect(fileIn(cancelled.private)?.content).toContain("STATUS:CANCELLED");
      const offer = ali.lastMessage();
      expect(textOf(offer)).toContain("A place has come up: Drawing together");
      expect(textOf(offer)).toContain("holding it for you until Wednesday 4 March, 10am");
      findButton(offer, "No thanks");
      expect(await statuses(taster.id)).toMatchObject({ [jo.id]: "cancelled", [ali.id]: "offered", [sam.id]: "waitlisted" });
      expect(sam.inbox().some((m) => textOf(m).includes("A place has come up"))).toBe(false);

      // Ali does not answer in time: the sweep moves the place to Sam.
      world.clock.set("2026-03-04T10:00:00Z");
      await world.tick();
      expect(textOf(ali.lastMessage())).toContain("has gone to the next person");
      expect(textOf(sam.lastMessage())).toContain("A place has come up");
      const lateAccept = await ali.press(findButton(offer, "Yes, I will come").call);
      expect(lateAccept.error?.code).toBe("closed");

      const accepted = await sam.press(findButton(sam.lastMessage(), "Yes, I will come").call);
      expect(textOf(accepted.replaceSource)).toContain("You have a place: Drawing together");
      expect(fileIn(accepted.replaceSource)?.content).toContain("BEGIN:VEVENT");
      expect(await statuses(taster.id)).toMatchObject({ [ali.id]: "expired", [sam.id]: "booked" });
      expect(textOf(latestPost(programme.channel))).toContain("Places left: None");

      // Ticking again sends nothing more to anyone.
      const before = world.messenger.sent.length;
      await world.tick();
      await world.tick();
      expect(world.messenger.sent.length).toBe(before);
    });

    it("moves the place on at once when the person offered says no thanks, and caps the hold before the start", async () => {
      const { programme, taster } = await setUp({ capacity: 1, offerHoldHours: 48 });
      const [jo, ali, sam] = [await world.person(programme, "Jo", "expert_by_experience"), await world.person(programme, "Ali", "expert_by_experience"), await world.person(programme, "Sam", "expert_by_experience")];
      await signUp(jo, taster.id);
      world.clock.advanceMinutes(1);
      await signUp(ali, taster.id);
      world.clock.advanceMinutes(1);
      await signUp(sam, taster.id);
      world.clock.set("2026-03-09T12:00:00Z");
      await jo.press({ action: "taster.cancel", args: { tasterId: taster.id } });
      const aliSignup = await world.prisma.tasterSignup.findFirstOrThrow({ where: { personId: ali.id } });
      // 48 hours would run past the start; the hold ends an hour before it.
      expect(aliSignup.offerExpiresAt).toEqual(new Date("2026-03-10T13:00:00Z"));
      const declined = await ali.press(findButton(ali.lastMessage(), "No thanks").call);
      expect(textOf(declined.replaceSource)).toContain("offered the place to the next person");
      expect(await statuses(taster.id)).toMatchObject({ [ali.id]: "cancelled", [sam.id]: "offered" });
      expect((await ali.press(findButton(ali.inbox().find((m) => textOf(m).includes("A place has come up")), "Yes").call)).error?.code).toBe("closed");
    });

    it("lets a waiting person leave the list, and refuses to cancel what is not there", async () => {
      const { programme, taster } = await setUp({ capacity: 1 });
      const jo = await world.person(programme, "Jo", "expert_by_experience");
      const ali = await world.person(programme, "Ali", "expert_by_experience");
      expect((await jo.press({ action: "taster.cancel", args: { tasterId: taster.id } })).error?.code).toBe("not_found");
      await signUp(jo, taster.id);
      await signUp(ali, taster.id);
      expect(textOf((await ali.press({ action: "taster.cancel", args: { tasterId: taster.id } })).private)).toContain("off the waiting list");
      expect(await statuses(taster.id)).toMatchObject({ [jo.id]: "booked", [ali.id]: "cancelled" });
      expect((await jo.press({ action: "taster.cancel", args: {} })).error?.code).toBe("invalid_input");
    });
  });

  describe("reminders and follow-ups", () => {
    it("reminds booked people the day before, after their quiet hours, once", async () => {
      // Starts 07:30 London time, so the reminder falls due at 07:30, inside the 21:00-08:00 quiet hours.
      const { programme, taster } = await setUp({ startsAt: new Date("2026-03-10T07:30:00Z"), endsAt: new Date("2026-03-10T09:00:00Z"), capacity: 5 });
      const jo = await world.person(programme, "Jo", "expert_by_experience");
      const ali = await world.person(programme, "Ali", "expert_by_experience");
      await signUp(jo, taster.id);
      await signUp(ali, taster.id);
      await ali.say("pause");
      const aliBefore = ali.inbox().length;

      world.clock.set("2026-03-09T07:30:00Z");
      await world.tick();
      expect(jo.inbox().some((m) => textOf(m).includes("Reminder: Drawing together"))).toBe(false);
      const queued = await world.prisma.outboxMessage.findUniqueOrThrow({ where: { key: `taster:${taster.id}:reminder:${jo.id}` } });
      expect(queued.nextAttemptAt).toEqual(new Date("2026-03-09T08:00:00Z"));

      world.clock.set("2026-03-09T08:00:00Z");
      await world.tick();
      await world.tick();
      const reminders = jo.inbox().filter((m) => textOf(m).includes("Reminder: Drawing together"));
      expect(reminders).toHaveLength(1);
      expect(textOf(reminders[0])).toContain("Tuesday 10 March, 7:30am");
      findButton(reminders[0], "I can no longer come");
      expect(ali.inbox()).toHaveLength(aliBefore);
    });

    it("asks booked people afterwards whether it was what they expected, and stores their answer", async () => {
      const { programme, taster } = await setUp({ capacity: 5 });
      const jo = await world.person(programme, "Jo", "expert_by_experience");
      const ali = await world.person(programme, "Ali", "expert_by_experience");
      await signUp(jo, taster.id);
      await signUp(ali, taster.id);
      // Ali then says no to taking part: nothing more of hers can be stored, so she is not asked.
      world.clock.advanceMinutes(1);
      await recordConsent(world.ctx, { personId: ali.id, programmeId: programme.id, participation: false, quotation: false });
      const signup = await world.prisma.tasterSignup.findFirstOrThrow({ where: { personId: jo.id } });

      const early = await jo.press({ action: "taster.followup", args: { signupId: signup.id, expectationsMet: "yes", wouldTakePart: "yes" } });
      expect(early.error?.code).toBe("closed");

      world.clock.set("2026-03-10T18:00:00Z");
      await world.tick();
      await world.tick();
      const asks = jo.inbox().filter((m) => textOf(m).includes("Was it what you expected?"));
      expect(asks).toHaveLength(1);
      expect(ali.inbox().some((m) => textOf(m).includes("Was it what you expected?"))).toBe(false);
      const form = findForm(asks[0], "taster-followup");
      expect(form.inputs.map((i) => i.label)).toContain("Would you take part in the programme?");

      const bad = await jo.press(form.submit, { expectationsMet: "kind of", wouldTakePart: "yes" });
      expect(bad.error?.code).toBe("invalid_input");
      const saved = await jo.press(form.submit, { expectationsMet: "partly", wouldTakePart: "maybe", comment: "More time to draw, please." });
      expect(textOf(saved.replaceSource)).toContain("Partly");
      expect(await world.prisma.tasterSignup.findUniqueOrThrow({ where: { id: signup.id } })).toMatchObject({
        expectationsMet: "partly",
        wouldTakePart: "maybe",
        followUpComment: "More time to draw, please.",
      });

      const aliSignup = await world.prisma.tasterSignup.findFirstOrThrow({ where: { personId: ali.id } });
      const noConsent = await ali.press({ action: "taster.followup", args: { signupId: aliSignup.id, expectationsMet: "no", wouldTakePart: "no" } });
      expect(noConsent.error?.code).toBe("no_consent");
      expect((await world.prisma.tasterSignup.findUniqueOrThrow({ where: { id: aliSignup.id } })).expectationsMet).toBeNull();
      expect((await ali.press({ action: "taster.followup", args: { signupId: signup.id, expectationsMet: "no", wouldTakePart: "no" } })).error?.code).toBe("not_found");
    });
  });

  describe("cancelling a whole session", () => {
    const REASON = "The artist is ill. We will set a new date soon.";
    const cancelledNotice = (p: TestPerson) => p.inbox().filter((m) => m.summary === "Cancelled: Drawing together");

    it("tells everyone booked, offered and waiting, cancels their sign-ups, updates the post, and sends nothing more", async () => {
      const { programme, taster } = await setUp({ capacity: 2 });
      const fac = programme.facilitator;
      const [jo, ali, sam, kim] = [
        await world.person(programme, "Jo", "expert_by_experience"),
        await world.person(programme, "Ali", "expert_by_experience"),
        await world.person(programme, "Sam", "expert_by_experience"),
        await world.person(programme, "Kim", "expert_by_experience"),
      ];
      for (const person of [jo, ali, sam, kim]) {
        await signUp(person, taster.id);
        world.clock.advanceMinutes(1);
      }
      world.clock.set("2026-03-03T10:00:00Z");
      await ali.press({ action: "taster.cancel", args: { tasterId: taster.id } });
      const offer = sam.lastMessage();
      expect(textOf(offer)).toContain("A place has come up");
      expect(await statuses(taster.id)).toEqual({ [jo.id]: "booked", [ali.id]: "cancelled", [sam.id]: "offered", [kim.id]: "waitlisted" });

      // Only people who manage tasters get the button, and it asks before it does anything.
      const joList = (await jo.say("taster")).private;
      expect(() => findButton(joList, "Cancel this session")).toThrow();
      const cancelButton = findButton((await fac.say("taster")).private, "Cancel this session");
      expect(cancelButton).toMatchObject({ style: "danger", confirm: expect.stringContaining("Everyone who signed up will be told") });
      expect((await jo.press(cancelButton.call)).error?.code).toBe("not_allowed");
      expect((await jo.press({ action: "taster.cancel_session", args: { tasterId: taster.id, reason: "No" } })).error?.code).toBe("not_allowed");

      const ask = (await fac.press(cancelButton.call)).private;
      expect(textOf(ask)).toContain("2 people have a place. 1 person is on the waiting list.");
      const form = findForm(ask, "taster-cancel");
      const noReason = await fac.press(form.submit, { reason: "  " });
      expect(noReason.error?.code).toBe("invalid_input");
      expect(textOf(noReason.private)).toContain('"Why it is cancelled" is needed');
      expect((await world.prisma.taster.findUniqueOrThrow({ where: { id: taster.id } })).cancelledAt).toBeNull();

      const channelPosts = world.messenger.toChannel(programme.channel).length;
      const done = await fac.press(form.submit, { reason: REASON });
      expect(done.error).toBeUndefined();
      expect(textOf(done.replaceSource)).toContain("Drawing together is cancelled");
      expect(textOf(done.replaceSource)).toContain("We are telling 3 people who signed up");
      expect(await world.prisma.taster.findUniqueOrThrow({ where: { id: taster.id } })).toMatchObject({
        cancelledAt: new Date("2026-03-03T10:00:00Z"),
        reminderDueAt: null,
        followUpDueAt: null,
      });
      expect(Object.values(await statuses(taster.id))).toEqual(["cancelled", "cancelled", "cancelled", "cancelled"]);

      // Each person is told privately, in plain words, with the reason.
      for (const [person, words] of [
        [jo, "Your place is cancelled."],
        [sam, "The place we offered you is cancelled."],
        [kim, "You are off the waiting list."],
      ] as const) {
        const notices = cancelledNotice(person);
        expect(notices).toHaveLength(1);
        const text = textOf(notices[0]);
        expect(text).toContain("The taster session on Tuesday 10 March, 2pm to 4pm is not going ahead.");
        expect(text).toContain(`Why: ${REASON}`);
        expect(text).toContain(words);
        expect(text).toContain("Nothing else to do.");
      }
      expect(fileIn(cancelledNotice(jo)[0])?.content).toContain("STATUS:CANCELLED");
      expect(fileIn(cancelledNotice(kim)[0])).toBeUndefined();
      expect(cancelledNotice(ali)).toHaveLength(0);

      // The channel post says so, in place, with no buttons.
      const post = latestPost(programme.channel);
      expect(textOf(post)).toContain("Cancelled: Drawing together");
      expect(textOf(post)).toContain("not going ahead");
      expect(post?.blocks.some((b) => b.kind === "buttons")).toBe(false);
      expect(world.messenger.toChannel(programme.channel)).toHaveLength(channelPosts); // updated, not posted again

      // The old offer, a new sign-up and a second cancel are all refused politely.
      const lateAccept = await sam.press(findButton(offer, "Yes, I will come").call);
      expect(lateAccept.error?.code).toBe("closed");
      expect(textOf(lateAccept.private)).toContain("has been cancelled");
      const refused = await signUp(ali, taster.id);
      expect(refused.error?.code).toBe("closed");
      expect(textOf(refused.private)).toContain("has been cancelled");
      const twice = await fac.press(form.submit, { reason: REASON });
      expect(twice.error?.code).toBe("already_done");
      expect(textOf(twice.private)).toContain("already cancelled");
      expect((await fac.press(cancelButton.call)).error?.code).toBe("already_done");
      expect(cancelledNotice(jo)).toHaveLength(1);
      expect(textOf((await jo.say("taster")).private)).not.toContain("Drawing together");

      // No reminder, offer or follow-up goes out later, and the post is not changed again.
      const before = world.messenger.sent.length;
      const postUpdates = world.messenger.updated.filter((u) => u.ref.to === programme.channel).length;
      for (const when of ["2026-03-04T10:00:00Z", "2026-03-09T14:00:00Z", "2026-03-10T18:00:00Z"]) {
        world.clock.set(when);
        await world.tick();
      }
      // (The facilitator's weekly summary is the only thing sent meanwhile.)
      const signedUp = new Set([jo, ali, sam, kim].map((p) => p.externalId).concat(programme.channel));
      expect(world.messenger.sent.slice(before).filter((m) => signedUp.has(m.target.externalId))).toEqual([]);
      expect(world.messenger.updated.filter((u) => u.ref.to === programme.channel)).toHaveLength(postUpdates);
      expect(jo.inbox().some((m) => textOf(m).includes("Reminder: Drawing together"))).toBe(false);
      expect(jo.inbox().some((m) => textOf(m).includes("Was it what you expected?"))).toBe(false);
    });

    it("withdraws an offer still waiting for quiet hours to end, and names who paused and so was not told", async () => {
      const { programme, taster } = await setUp({ capacity: 1 });
      const jo = await world.person(programme, "Jo", "expert_by_experience");
      const ali = await world.person(programme, "Ali", "expert_by_experience");
      const pat = await world.person(programme, "Pat", "expert_by_experience");
      for (const person of [jo, ali, pat]) {
        await signUp(person, taster.id);
        world.clock.advanceMinutes(1);
      }
      await pat.say("pause");
      const patBefore = pat.inbox().length;

      // 10pm in London: the offer to Ali waits for the end of her quiet hours.
      world.clock.set("2026-03-03T22:00:00Z");
      await jo.press({ action: "taster.cancel", args: { tasterId: taster.id } });
      expect(await statuses(taster.id)).toMatchObject({ [ali.id]: "offered" });
      world.clock.set("2026-03-03T22:30:00Z");
      const result = await cancelSession(world.ctx, programme.facilitator.id, { tasterId: taster.id, reason: REASON });
      expect(result).toMatchObject({ told: 1, notTold: ["Pat"] });
      const reply = await programme.facilitator.press({ action: "taster.cancel_session", args: { tasterId: taster.id, reason: REASON } });
      expect(reply.error?.code).toBe("already_done");

      const queued = await world.prisma.outboxMessage.findUniqueOrThrow({ where: { key: `taster:${taster.id}:session-cancelled:${ali.id}` } });
      expect(queued.nextAttemptAt).toEqual(new Date("2026-03-04T08:00:00Z"));
      expect(await world.prisma.outboxMessage.count({ where: { purpose: "taster.offer", status: "pending" } })).toBe(0);

      world.clock.set("2026-03-04T08:00:00Z");
      await world.tick();
      expect(cancelledNotice(ali)).toHaveLength(1);
      expect(ali.inbox().some((m) => textOf(m).includes("A place has come up"))).toBe(false);
      expect(pat.inbox()).toHaveLength(patBefore);
    });

    it("refuses sessions that are over, people outside the programme, and malformed input", async () => {
      const { programme, taster } = await setUp();
      const other = await world.programme("Another programme");
      expect((await other.facilitator.press({ action: "taster.cancel_session", args: { tasterId: taster.id, reason: REASON } })).error?.code).toBe("not_a_member");
      expect((await programme.facilitator.press({ action: "taster.cancel_session", args: { tasterId: "nope", reason: REASON } })).error?.code).toBe("not_found");
      expect((await programme.facilitator.press({ action: "taster.cancel_session", args: { tasterId: taster.id, reason: "x".repeat(501) } })).error?.code).toBe("invalid_input");
      world.clock.set("2026-03-10T16:00:00Z");
      const over = await programme.facilitator.press({ action: "taster.cancel_session", args: { tasterId: taster.id, reason: REASON } });
      expect(over.error?.code).toBe("closed");
      expect(textOf(over.private)).toContain("already over");
      expect((await world.prisma.taster.findUniqueOrThrow({ where: { id: taster.id } })).cancelledAt).toBeNull();
    });

    it("tells people straight away, even in quiet hours, when waiting would be too late", () => {
      const quiet = { timeZone: "Europe/London", quietStart: 21 * 60, quietEnd: 8 * 60 };
      const now = new Date("2026-03-09T22:00:00Z");
      const allowed = (at: Date) => nextAllowedTime(at, quiet);
      expect(cancellationSendTime(now, allowed(now), new Date("2026-03-10T14:00:00Z"))).toEqual(new Date("2026-03-10T08:00:00Z"));
      expect(cancellationSendTime(now, allowed(now), new Date("2026-03-10T07:30:00Z"))).toEqual(now);
      const noon = new Date("2026-03-09T12:00:00Z");
      expect(cancellationSendTime(noon, allowed(noon), new Date("2026-03-10T07:30:00Z"))).toEqual(new Date("2026-03-09T12:00:00Z"));
    });
  });

  describe("attendance", () => {
    it("lets a facilitator mark who came, and counts it as time given", async () => {
      const { programme, taster } = await setUp({ capacity: 5 });
      const jo = await world.person(programme, "Jo", "expert_by_experience");
      const ali = await world.person(programme, "Ali", "expert_by_experience");
      await signUp(jo, taster.id);
      await signUp(ali, taster.id);
      const joSignup = await world.prisma.tasterSignup.findFirstOrThrow({ where: { personId: jo.id } });

      const tooEarly = await programme.facilitator.press({ action: "taster.attendance", args: { signupId: joSignup.id, attended: "yes" } });
      expect(tooEarly.error?.code).toBe("closed");

      world.clock.set("2026-03-10T16:30:00Z");
      const denied = await jo.press({ action: "taster.attendance", args: { signupId: joSignup.id, attended: "yes" } });
      expect(denied.error?.code).toBe("not_allowed");
      expect((await jo.say("taster attendance")).error?.code).toBe("not_allowed");

      const pick = (await programme.facilitator.say("taster attendance")).private;
      const sheet = (await programme.facilitator.press(findButton(pick, "Drawing together").call)).private;
      expect(textOf(sheet)).toContain("Jo: not marked yet");
      await programme.facilitator.press(buttonFor(sheet, "Jo", "Came"));
      expect(await world.prisma.contribution.findMany({ where: { personId: jo.id } })).toMatchObject([{ kind: "taster", minutes: 60, sourceRef: `taster:${taster.id}` }]);

      const form = findForm(sheet, "taster-attendance");
      const aliSignup = await world.prisma.tasterSignup.findFirstOrThrow({ where: { personId: ali.id } });
      const saved = await programme.facilitator.press(form.submit, { attended: aliSignup.id });
      expect(textOf(saved.private)).toContain("1 person came");
      expect(await world.prisma.tasterSignup.findMany({ where: { tasterId: taster.id }, orderBy: { personId: "asc" } })).toEqual(
        expect.arrayContaining([expect.objectContaining({ personId: jo.id, attended: false }), expect.objectContaining({ personId: ali.id, attended: true })]),
      );
      expect(await world.prisma.contribution.count({ where: { personId: jo.id } })).toBe(0);
      expect(await world.prisma.contribution.count({ where: { personId: ali.id, kind: "taster" } })).toBe(1);
    });
  });
});
