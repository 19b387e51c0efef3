import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World, findButton, findForm, textOf, type TestPerson } from "../../support/world.ts";
import { DAY, HOUR } from "../../../src/clock.ts";
import { createItemFromAnswer, loadAnswer } from "../../../src/feedback/index.ts";
import { cast as castIn, mention, sayNaming } from "./helpers.ts";

let world: World;
beforeAll(async () => {
  world = await World.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());

const cast = () => castIn(world);

const channelMessages = (programme: { channel: string }) => world.messenger.toChannel(programme.channel);
const lastChannelMessage = (programme: { channel: string }) => channelMessages(programme).at(-1);

async function itemNumbered(programmeId: string, number: number) {
  return world.prisma.feedbackItem.findUniqueOrThrow({ where: { programmeId_number: { programmeId, number } } });
}

async function suggestAs(person: TestPerson, text: string) {
  const reply = await person.say(`suggest ${text}`);
  expect(reply.error).toBeUndefined();
  return reply;
}

describe("making a suggestion", () => {
  it("thanks the person with the idea's number and shows it in the channel by role only", async () => {
    const { programme, jo } = await cast();
    const reply = await suggestAs(jo, "Hold the panel in the evening so carers can come");
    expect(textOf(reply.private)).toContain("Thank you. Your idea is #1. We will tell you what happens to it.");

    const notice = lastChannelMessage(programme);
    expect(textOf(notice)).toContain("New idea #1");
    expect(textOf(notice)).toContain("Hold the panel in the evening");
    expect(textOf(notice)).toContain("Raised by an Expert by experience");
    expect(textOf(notice)).not.toContain("Jo");
    // The channel shows status and a way to follow; the controls are in the managers' own view (idea #1).
    expect(textOf(notice)).toContain("Status: waiting to be looked at.");
    expect(findButton(notice, "This matters to me too").call).toMatchObject({ action: "feedback.follow" });
    expect(notice!.blocks.some((b) => b.kind === "form")).toBe(false);
    expect(notice!.blocks.flatMap((b) => (b.kind === "buttons" ? b.buttons.map((x) => x.call.action) : []))).toEqual(["feedback.follow"]);

    const item = await itemNumbered(programme.id, 1);
    expect(item).toMatchObject({ raisedById: jo.id, raisedByRole: "expert_by_experience", status: "received", source: "direct" });
    const history = await world.prisma.feedbackStatusChange.findMany({ where: { itemId: item.id } });
    expect(history).toMatchObject([{ from: null, to: "received" }]);
    expect(await world.prisma.contribution.count({ where: { personId: jo.id, kind: "suggestion", sourceRef: item.id } })).toBe(1);

    const second = await suggestAs(jo, "Send the papers a week before");
    expect(textOf(second.private)).toContain("#2");
  });

  it("numbers suggestions made at the same moment without gaps or repeats", async () => {
    const { programme, jo, ali, sam, priya } = await cast();
    await Promise.all([jo, ali, sam, priya, jo].map((p, i) => p.say(`suggest Idea number ${i}`)));
    const items = await world.prisma.feedbackItem.findMany({ where: { programmeId: programme.id }, orderBy: { number: "asc" } });
    expect(items.map((i) => i.number)).toEqual([1, 2, 3, 4, 5]);
  });

  // Ideas sent at the same moment: see numbering.test.ts (100 at once, on both databases, numbered 1 to 100).

  it("accepts a chat message turned into a suggestion, keeping where it came from", async () => {
    const { programme, sam } = await cast();
    const reply = await sam.press(
      { action: "feedback.suggest", args: { text: "The leaflet uses too much jargon", source: "message", sourceRef: "C-1/1712.001" } },
      {},
      "channel",
    );
    expect(textOf(reply.private)).toContain("Your idea is #1");
    expect(await itemNumbered(programme.id, 1)).toMatchObject({ source: "message", sourceRef: "C-1/1712.001", raisedByRole: "professional" });
  });

  it("stores nothing from someone who has not agreed to take part", async () => {
    const programme = await world.programme();
    const kim = await world.person(programme, "Kim", "expert_by_experience", { consent: false });
    world.messenger.clear();
    const reply = await kim.say("suggest More parking at the clinic");
    expect(reply.error?.code).toBe("no_consent");
    expect(textOf(reply.private)).toContain("not stored");
    expect(await world.prisma.feedbackItem.count()).toBe(0);
    expect(channelMessages(programme)).toHaveLength(0);
  });

  it("asks for the words when a suggestion is empty", async () => {
    const { jo } = await cast();
    const reply = await jo.say("suggest   ");
    expect(reply.error?.code).toBe("invalid_input");
    expect(textOf(reply.private)).toContain('"Your idea" is needed');
    expect(await world.prisma.feedbackItem.count()).toBe(0);
  });
});

describe("owners, due dates and status", () => {
  it("refuses people without the role politely, and changes nothing", async () => {
    const { programme, jo, sam } = await cast();
    await suggestAs(jo, "Evening panels");
    const item = await itemNumbered(programme.id, 1);

    const assign = await sam.press({ action: "feedback.assign", args: { itemId: item.id, ownerExternalId: "me", dueInDays: "7" } });
    expect(assign.error?.code).toBe("not_allowed");
    expect(textOf(assign.private)).toContain("Sorry, only people in these roles can do that: Commissioner, Facilitator, Admin.");

    const status = await jo.press({ action: "feedback.status", args: { itemId: item.id, status: "considering" } }, {}, "channel");
    expect(status.error?.code).toBe("not_allowed");

    const update = await sam.say("update #1 We have moved the panel to evenings");
    expect(update.error?.code).toBe("not_allowed");
    expect(textOf(update.private)).toContain("Commissioner");

    expect(await itemNumbered(programme.id, 1)).toMatchObject({ ownerId: null, status: "received" });
    expect(await world.prisma.feedbackUpdate.count()).toBe(0);
  });

  it("moves an item along its path, keeps the history and tells the raiser each time", async () => {
    const { programme, fac, priya, jo } = await cast();
    await suggestAs(jo, "Evening panels");
    const raisedAt = world.clock.now();

    world.clock.advanceHours(5);
    const notice = (await priya.say("idea #1")).private;
    const looking = await priya.press(findButton(notice, "We are looking at it").call);
    expect(textOf(looking.private)).toContain("Idea #1 is now being looked at. We have told the person who raised it.");
    expect(textOf(jo.lastMessage())).toContain("Your idea #1 is now being looked at");
    expect(textOf(jo.lastMessage())).toContain('You said: "Evening panels"');
    const firstAnswer = world.clock.now();

    const skip = await priya.say("idea #1");
    expect(findButton(skip.private, "We agree to do it")).toBeTruthy();

    world.clock.advanceDays(2);
    await priya.press({ action: "feedback.status", args: { item: "#1", status: "agreed" } });
    expect(textOf(jo.lastMessage())).toContain("has been agreed");

    world.clock.advanceDays(10);
    const doneAt = world.clock.now();
    await fac.press({ action: "feedback.status", args: { item: "1", status: "done" } });
    expect(textOf(jo.lastMessage())).toContain("Your idea #1 is done");

    const item = await itemNumbered(programme.id, 1);
    expect(item).toMatchObject({ status: "done", firstRespondedAt: firstAnswer, closedAt: doneAt, nextNudgeAt: null });
    expect(item.createdAt).toEqual(raisedAt);
    const history = await world.prisma.feedbackStatusChange.findMany({ where: { itemId: item.id }, orderBy: { changedAt: "asc" } });
    expect(history.map((h) => [h.from, h.to])).toEqual([
      [null, "received"],
      ["received", "considering"],
      ["considering", "agreed"],
      ["agreed", "done"],
    ]);
    expect(history[1]?.changedById).toBe(priya.id);
    expect(await world.prisma.auditEntry.count({ where: { action: "feedback.status", entityId: item.id } })).toBe(3);

    const again = await fac.press({ action: "feedback.status", args: { item: "1", status: "considering" } });
    expect(again.error?.code).toBe("closed");
    expect(textOf(again.private)).toContain("already closed");
  });

  it("refuses a move the process does not allow, with the moves it does", async () => {
    const { programme, priya, jo } = await cast();
    await suggestAs(jo, "Evening panels");
    const reply = await priya.press({ action: "feedback.status", args: { item: "1", status: "done" } });
    expect(reply.error?.code).toBe("invalid_input");
    expect(textOf(reply.private)).toContain('cannot be marked "done" next');
    expect(textOf(reply.private)).toContain('"being looked at"');
    expect((await itemNumbered(programme.id, 1)).status).toBe("received");
  });

  it("needs a reason in plain words before saying an idea is not possible", async () => {
    const { programme, priya, jo } = await cast();
    await suggestAs(jo, "A free taxi to every meeting");
    const form = findForm((await priya.say("idea #1")).private, `not-possible-${(await itemNumbered(programme.id, 1)).id}`);

    const noReason = await priya.press(form.submit, { reason: "  " });
    expect(noReason.error?.code).toBe("invalid_input");
    expect(textOf(noReason.private)).toContain("Please say in plain words why it is not possible");
    const untouched = await itemNumbered(programme.id, 1);
    expect(untouched).toMatchObject({ status: "received", firstRespondedAt: null, closedAt: null });

    world.messenger.clear();
    await priya.press(form.submit, { reason: "The budget cannot pay for taxis, but we can pay bus fares." });
    const item = await itemNumbered(programme.id, 1);
    expect(item).toMatchObject({ status: "not_possible", statusReason: "The budget cannot pay for taxis, but we can pay bus fares." });
    expect(item.closedAt).toEqual(world.clock.now());
    expect(item.firstRespondedAt).toEqual(world.clock.now());
    expect(textOf(jo.lastMessage())).toContain("cannot go ahead");
    expect(textOf(jo.lastMessage())).toContain("Why not: The budget cannot pay for taxis");
  });

  it("gives an item an owner and a due date, and tells an owner chosen by someone else", async () => {
    const { programme, fac, priya, jo, sam } = await cast();
    await suggestAs(jo, "Evening panels");
    const take = findForm((await priya.say("idea #1")).private, `take-${(await itemNumbered(programme.id, 1)).id}`);
    const mine = await priya.press(take.submit, { dueInDays: "14" });
    expect(textOf(mine.private)).toContain("You are now looking after idea #1. An answer is due by 16 March 2026.");
    expect(await itemNumbered(programme.id, 1)).toMatchObject({ ownerId: priya.id, dueAt: new Date(world.clock.now().getTime() + 14 * DAY) });
    expect(priya.inbox()).toHaveLength(0);

    const other = await fac.say(`assign #1 <@${priya.externalId}|Priya> 7`);
    expect(textOf(other.private)).toContain("Priya is now looking after idea #1");
    expect(textOf(priya.lastMessage())).toContain("You are looking after idea #1");
    expect(textOf(priya.lastMessage())).toContain("9 March 2026");

    const expert = await fac.say(`assign #1 <@${sam.externalId}> 7`);
    expect(expert.error?.code).toBe("not_allowed");
    expect(textOf(expert.private)).toContain("Sam cannot look after ideas");

    const noDue = await fac.say("assign #1 me");
    expect(textOf(noDue.private)).toContain("when an answer is due");
    expect((await itemNumbered(programme.id, 1)).ownerId).toBe(priya.id);
  });
});

describe("'we did' updates", () => {
  it("counts people, not ideas, when it says how many it has asked", async () => {
    const { priya, jo, ali } = await cast();
    await suggestAs(jo, "Evening panels");
    await suggestAs(jo, "Use plain English in letters");
    await suggestAs(ali, "Send the papers a week before");
    world.messenger.clear();
    const reply = await priya.say("update #1 #2 #3 We have moved panels to evenings, rewritten the letters and will send papers early");
    expect(textOf(reply.private)).toContain("It answers #1, #2, #3. They are marked done. We have asked 2 people");
    // Jo still gets one question per idea: the count is of people, the questions are per idea.
    expect(jo.inbox()).toHaveLength(2);
    expect(ali.inbox()).toHaveLength(1);
  });

  it("posts to the channel and asks each person who raised a linked idea, and nobody else", async () => {
    const { programme, priya, jo, ali, sam } = await cast();
    await suggestAs(jo, "Evening panels");
    await suggestAs(ali, "Send the papers a week before");
    await suggestAs(sam, "Pay for bus fares");
    await suggestAs(jo, "Use plain English in letters");
    world.messenger.clear();

    const reply = await priya.say("update #1 #2 We have moved the panel to evenings and will send papers a week ahead");
    expect(textOf(reply.private)).toContain("It answers #1, #2. They are marked done. We have asked 2 people");

    const post = lastChannelMessage(programme);
    expect(textOf(post)).toContain("We did: We have moved the panel to evenings");
    expect(textOf(post)).toContain('You said (#1): "Evening panels"');
    expect(textOf(post)).toContain("Posted by a Commissioner");
    expect(textOf(post)).not.toContain("Priya");

    expect(jo.inbox()).toHaveLength(1);
    expect(ali.inbox()).toHaveLength(1);
    expect(sam.inbox()).toHaveLength(0);
    const ask = jo.lastMessage();
    expect(textOf(ask)).toContain("News about your idea #1");
    findButton(ask, "Partly");
    findButton(ask, "No");

    // One question, asked once: buttons, and no second copy of it as radio buttons.
    expect(ask!.blocks.some((b) => b.kind === "form")).toBe(false);

    const thanks = await jo.press(findButton(ask, "Yes, it answers what I said").call);
    expect(textOf(thanks.replaceSource)).toContain("You said: Yes");
    expect(textOf(thanks.replaceSource)).toContain("We are glad");
    expect(findButton(thanks.replaceSource, "Change my answer")).toBeTruthy();
    const aliAnswer = await ali.press(findButton(ali.lastMessage(), "Partly").call);
    expect(textOf(aliAnswer.replaceSource)).toContain("You said: Partly");
    const withComment = await ali.press(findForm(aliAnswer.replaceSource).submit, { comment: "Two weeks would be better" });
    expect(withComment.error).toBeUndefined();
    expect(textOf(withComment.replaceSource)).toContain('Your comment: "Two weeks would be better"');

    const reactions = await world.prisma.feedbackReaction.findMany({ orderBy: { answered: "asc" } });
    expect(reactions.map((r) => [r.personId, r.answered, r.comment])).toEqual([
      [ali.id, "partly", "Two weeks would be better"],
      [jo.id, "yes", null],
    ]);

    // "Change my answer" asks the question again in place; the new answer replaces the old one.
    const again = await jo.press(findButton(thanks.replaceSource, "Change my answer").call);
    expect(textOf(again.replaceSource)).toContain("Does this answer what you said?");
    const changed = await jo.press(findButton(again.replaceSource, "No").call);
    expect(textOf(changed.replaceSource)).toContain("You said: No");
    // A new answer by button keeps the comment sent before it.
    await ali.press(findButton(aliAnswer.replaceSource, "Change my answer").call);
    await ali.press({ action: "feedback.react", args: { updateId: findButton(ask, "No").call.args.updateId!, itemId: findButton(ali.lastMessage(), "No").call.args.itemId!, answered: "no" } });
    expect(await world.prisma.feedbackReaction.findFirst({ where: { personId: ali.id } })).toMatchObject({ answered: "no", comment: "Two weeks would be better" });
    // Someone else cannot answer for the raiser, nor ask the question again.
    expect((await sam.press(findButton(thanks.replaceSource, "Change my answer").call)).error?.code).toBe("not_allowed");
    expect(await world.prisma.feedbackReaction.findFirst({ where: { personId: jo.id } })).toMatchObject({ answered: "no" });
    const notMine = await sam.press(findButton(ask, "Yes").call);
    expect(notMine.error?.code).toBe("not_allowed");
    expect(await world.prisma.feedbackReaction.count()).toBe(2);
  });

  it("refuses unknown idea numbers and posts nothing", async () => {
    const { programme, priya, jo } = await cast();
    await suggestAs(jo, "Evening panels");
    world.messenger.clear();
    const reply = await priya.say("update #1 #9 We did it");
    expect(reply.error?.code).toBe("not_found");
    expect(textOf(reply.private)).toContain("There is no idea #9 in this programme, so nothing was posted");
    expect(await world.prisma.feedbackUpdate.count()).toBe(0);
    expect(channelMessages(programme)).toHaveLength(0);
    expect(jo.inbox()).toHaveLength(0);
  });
});

describe("overdue nudges", () => {
  it("nudges the owner once when the due date passes, then once per interval, and stops when it is closed", async () => {
    const { programme, priya, jo } = await cast();
    await suggestAs(jo, "Evening panels");
    await priya.press({ action: "feedback.assign", args: { item: "1", ownerExternalId: "me", dueInDays: "3" } });

    world.clock.advanceDays(2);
    await world.tick();
    expect(priya.inbox()).toHaveLength(0);

    world.clock.advanceDays(1);
    const first = await world.tick();
    await world.tick();
    expect(first.handled["feedback.nudges"]).toBe(1);
    expect(priya.inbox()).toHaveLength(1);
    expect(textOf(priya.lastMessage())).toContain("Idea #1 is waiting for an answer");
    findButton(priya.lastMessage(), "We are looking at it");

    world.clock.advanceHours(world.ctx.settings.feedbackNudgeEveryHours - 1);
    await world.tick();
    expect(priya.inbox()).toHaveLength(1);

    world.clock.advanceHours(1);
    await world.tick();
    await world.tick();
    expect(priya.inbox()).toHaveLength(2);
    expect((await itemNumbered(programme.id, 1)).nudgesSent).toBe(2);

    await priya.press({ action: "feedback.status", args: { item: "1", status: "not_possible", reason: "No room in the evening" } });
    world.clock.advanceDays(10);
    await world.tick();
    expect(priya.inbox()).toHaveLength(2);
  });

  it("tells the facilitators once about an idea nobody has taken on for a week", async () => {
    const { programme, fac, priya, jo } = await cast();
    await suggestAs(jo, "Evening panels");
    world.clock.advanceDays(6);
    await world.tick();
    // Facilitators also get the weekly digest; only the nudges matter here.
    const nudges = () => fac.inbox().filter((m) => textOf(m).includes("Nobody is looking after idea"));
    expect(nudges()).toHaveLength(0);

    world.clock.advanceDays(1);
    await world.tick();
    await world.tick();
    world.clock.advanceDays(7);
    await world.tick();
    expect(nudges()).toHaveLength(1);
    expect(textOf(nudges()[0])).toContain("Nobody is looking after idea #1");
    expect(priya.inbox()).toHaveLength(0);
    findForm(nudges()[0]);
    expect((await itemNumbered(programme.id, 1)).nextNudgeAt).toBeNull();
  });

  it("waits for the end of the owner's quiet hours", async () => {
    const { priya, jo } = await cast();
    await suggestAs(jo, "Evening panels");
    await priya.press({ action: "feedback.assign", args: { item: "1", ownerExternalId: "me", dueAt: "2026-03-03T21:30:00Z" } });
    world.clock.set("2026-03-03T22:00:00Z");
    await world.tick();
    expect(priya.inbox()).toHaveLength(0);
    world.clock.set("2026-03-04T08:00:00Z");
    await world.tick();
    expect(priya.inbox()).toHaveLength(1);
  });
});

describe("'we said, we did': actions owned together", () => {
  it("refuses an action with no expert by experience among its owners, and says why", async () => {
    const { priya, sam } = await cast();
    const reply = await priya.say(`together Rewrite the leaflet with <@${sam.externalId}>`);
    expect(reply.error?.code).toBe("invalid_input");
    expect(textOf(reply.private)).toContain("'We said, we did' means people with lived experience and professionals own it together");
    expect(textOf(reply.private)).toContain("expert by experience");
    expect(await world.prisma.coOwnedAction.count()).toBe(0);
  });

  it("refuses an action owned only by experts by experience", async () => {
    const { fac, jo, ali } = await cast();
    const reply = await fac.press({ action: "feedback.coown", args: { title: "Plan the open day" } }, {}, "direct", { owners: [{ externalId: jo.externalId }, { externalId: ali.externalId }] });
    expect(textOf(reply.private)).toContain("Please add at least one professional, commissioner or facilitator");
    expect(await world.prisma.coOwnedAction.count()).toBe(0);
  });

  it("tells every owner, lets any owner mark it done, and tells the person who raised the idea", async () => {
    const { programme, priya, jo, ali, sam } = await cast();
    await suggestAs(ali, "The leaflet is hard to read");
    world.messenger.clear();

    const reply = await priya.say(`together #1 Rewrite the leaflet with <@${jo.externalId}|Jo> and <@${sam.externalId}|Sam>`);
    expect(textOf(reply.private)).toContain('"Rewrite the leaflet" is set up, owned by 3 people together');
    const action = await world.prisma.coOwnedAction.findFirstOrThrow({ include: { owners: true, item: true } });
    expect(action.item?.number).toBe(1);
    expect(action.owners.map((o) => o.role).sort()).toEqual(["commissioner", "expert_by_experience", "professional"]);
    for (const owner of [priya, jo, sam]) expect(textOf(owner.lastMessage())).toContain("You are one of the owners of: Rewrite the leaflet");
    expect(textOf(jo.lastMessage())).toContain("Priya (Commissioner)");

    const outsider = await ali.press(findButton(jo.lastMessage(), "It is done").call);
    expect(outsider.error?.code).toBe("not_allowed");

    const done = await jo.press(findButton(jo.lastMessage(), "It is done").call);
    expect(textOf(done.private)).toContain("We have told the person who raised the idea");
    expect(await world.prisma.coOwnedAction.findUniqueOrThrow({ where: { id: action.id } })).toMatchObject({ status: "done", doneAt: world.clock.now() });
    expect(textOf(ali.lastMessage())).toContain("We said, we did: your idea #1");
    expect(textOf(ali.lastMessage())).toContain("Rewrite the leaflet");

    const twice = await sam.press(findButton(sam.lastMessage(), "Drop it").call);
    expect(twice.error?.code).toBe("already_done");
    expect(programme.id).toBeTruthy();
  });

  it("refuses people outside the programme and roles that may not create actions", async () => {
    const { jo, priya } = await cast();
    const stranger = await priya.say(`together Tidy the waiting room with <@U-nobody|Nobody> <@${jo.externalId}>`);
    expect(stranger.error?.code).toBe("not_found");
    expect(textOf(stranger.private)).toContain("@Nobody is not in this programme");
    const expert = await jo.say(`together Tidy the waiting room with <@${priya.externalId}>`);
    expect(expert.error?.code).toBe("not_allowed");
    expect(await world.prisma.coOwnedAction.count()).toBe(0);
  });
});

describe("turning answers into ideas", () => {
  async function promptAnswer(programmeId: string, p: { personId: string | null; text: string }) {
    const series = await world.prisma.promptSeries.create({
      data: { programmeId, title: "Monthly check-in", audienceRoles: ["expert_by_experience"], cron: "0 9 1 * *", timeZone: "Europe/London", anonymous: p.personId === null },
    });
    const occurrence = await world.prisma.promptOccurrence.create({ data: { seriesId: series.id, scheduledFor: world.clock.now(), closesAt: new Date(world.clock.now().getTime() + 7 * DAY) } });
    return world.prisma.promptResponse.create({
      data: { occurrenceId: occurrence.id, questionId: "q1", personId: p.personId, role: "expert_by_experience", responseKey: `k-${Math.random()}`, text: p.text, answeredAt: world.clock.now(), updatedAt: world.clock.now() },
    });
  }

  it("keeps the person who gave a named answer as the raiser, and tells them", async () => {
    const { programme, fac, jo } = await cast();
    const answer = await promptAnswer(programme.id, { personId: jo.id, text: "I never know who to phone after a meeting" });
    const reply = await fac.press({ action: "feedback.from_answer", args: { responseId: answer.id } });
    expect(textOf(reply.private)).toContain("That answer is now idea #1. We have told the person who gave it.");
    expect(await itemNumbered(programme.id, 1)).toMatchObject({
      raisedById: jo.id,
      raisedByRole: "expert_by_experience",
      source: "prompt_answer",
      sourceRef: answer.id,
      text: "I never know who to phone after a meeting",
    });
    expect(textOf(jo.lastMessage())).toContain("Something you said is now idea #1");
    expect(textOf(lastChannelMessage(programme))).toContain("From an answer given by an Expert by experience");

    const twice = await fac.press({ action: "feedback.from_answer", args: { responseId: answer.id } });
    expect(twice.error?.code).toBe("conflict");
    expect(await world.prisma.feedbackItem.count()).toBe(1);
  });

  it("keeps only the role of an anonymous debrief answer", async () => {
    const { programme, fac } = await cast();
    const panel = await world.prisma.panel.create({
      data: { programmeId: programme.id, title: "Provider interviews", startsAt: world.clock.now(), endsAt: new Date(world.clock.now().getTime() + 2 * HOUR) },
    });
    const debrief = await world.prisma.debriefResponse.create({
      data: { panelId: panel.id, personId: null, role: "expert_by_experience", couldImprove: "We needed more time to read the bids", listenedTo: "partly", submittedAt: world.clock.now(), updatedAt: world.clock.now() },
    });
    const item = await createItemFromAnswer(world.ctx, fac.id, await loadAnswer(world.prisma, { debriefId: debrief.id }), "More time to read bids before a panel");
    expect(item).toMatchObject({ number: 1, raisedById: null, raisedByRole: "expert_by_experience", source: "debrief", sourceRef: debrief.id, text: "More time to read bids before a panel" });
  });

  it("lets only facilitators turn answers into ideas", async () => {
    const { programme, priya, jo } = await cast();
    const answer = await promptAnswer(programme.id, { personId: jo.id, text: "Later meetings" });
    const reply = await priya.press({ action: "feedback.from_answer", args: { responseId: answer.id } });
    expect(reply.error?.code).toBe("not_allowed");
    expect(await world.prisma.feedbackItem.count()).toBe(0);
  });
});

describe("listing ideas", () => {
  it("shows a person their own ideas, and managers the open ones with owner, due date and overdue", async () => {
    const { priya, jo, ali } = await cast();
    await suggestAs(jo, "Evening panels");
    await suggestAs(ali, "Bus fares");
    await priya.press({ action: "feedback.assign", args: { item: "1", ownerExternalId: "me", dueInDays: "2" } });
    await priya.press({ action: "feedback.status", args: { item: "1", status: "considering" } });
    world.clock.advanceDays(3);

    const mine = textOf((await jo.say("ideas")).private);
    expect(mine).toContain("#1 Evening panels: being looked at");
    expect(mine).not.toContain("Bus fares");

    const open = textOf((await priya.say("suggestions")).private);
    expect(open).toContain("#1 Evening panels (from an Expert by experience): being looked at, looked after by Priya, due 4 March 2026. OVERDUE");
    expect(open).toContain("#2 Bus fares (from an Expert by experience): waiting to be looked at, nobody looking after it yet");
  });
});

describe("people named in commands and forms", () => {
  it("gives an idea to the person mentioned in assign, and tells them", async () => {
    const { fac, priya, jo } = await cast();
    await suggestAs(jo, "Evening panels");
    const reply = await sayNaming(world, fac, "assign #1 @Priya 7", [mention(priya, "Priya")]);
    expect(textOf(reply.private)).toContain("Priya is now looking after idea #1. An answer is due by 9 March 2026.");
    expect(textOf(priya.lastMessage())).toContain("You are looking after idea #1");

    const mine = await sayNaming(world, priya, "assign #1 me 14", []);
    expect(textOf(mine.private)).toContain("You are now looking after idea #1");
  });

  it("names a mentioned person wesaid does not know, and changes nothing", async () => {
    const { programme, fac, jo } = await cast();
    await suggestAs(jo, "Evening panels");
    const reply = await sayNaming(world, fac, "assign #1 @Nobody 7", [{ externalId: "U-nobody", displayName: "Nobody", shownAs: "@Nobody" }]);
    expect(reply.error?.code).toBe("not_found");
    expect(textOf(reply.private)).toContain("@Nobody is not in this programme");
    expect((await itemNumbered(programme.id, 1)).ownerId).toBeNull();
  });

  it("sets up a joint action with the people mentioned in together, and the person who typed it", async () => {
    const { priya, jo, sam } = await cast();
    const reply = await sayNaming(world, priya, "together Rewrite the leaflet with @Jo and @Sam", [mention(jo, "Jo"), mention(sam, "Sam")]);
    expect(textOf(reply.private)).toContain('"Rewrite the leaflet" is set up, owned by 3 people together');
    const action = await world.prisma.coOwnedAction.findFirstOrThrow({ include: { owners: true } });
    expect(action.title).toBe("Rewrite the leaflet");
    expect(action.owners.map((o) => o.personId).sort()).toEqual([priya.id, jo.id, sam.id].sort());
  });

  it("accepts an owner chosen in a form's people picker, or typed as an id", async () => {
    const { programme, fac, priya, jo } = await cast();
    await suggestAs(jo, "Evening panels");
    await suggestAs(jo, "Bus fares");
    const picked = await fac.press({ action: "feedback.assign", args: { item: "1", dueInDays: "7" } }, {}, "direct", { owner: [{ externalId: priya.externalId }] });
    expect(textOf(picked.private)).toContain("Priya is now looking after idea #1");
    const typed = await fac.press({ action: "feedback.assign", args: { item: "2", ownerExternalId: priya.externalId, dueInDays: "7" } });
    expect(textOf(typed.private)).toContain("Priya is now looking after idea #2");
    const unknown = await fac.press({ action: "feedback.assign", args: { item: "2", ownerExternalId: "U-nobody", dueInDays: "7" } });
    expect(textOf(unknown.private)).toContain("That person is not in this programme");
    expect((await itemNumbered(programme.id, 2)).ownerId).toBe(priya.id);
  });

  it("asks who will do it when together names nobody", async () => {
    const { priya } = await cast();
    const reply = await sayNaming(world, priya, "together Rewrite the leaflet", []);
    expect(reply.error?.code).toBe("invalid_input");
    expect(textOf(reply.private)).toContain("Please say who will do it with you");
  });
});
