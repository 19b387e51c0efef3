import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TeamsWorld } from "./harness.ts";
import { everyRowAsText, rowsMentioning } from "../support/databases.ts";
import { CHANNEL, FakeTeams, cardText, findAction, teamsUser, type Recorded, type TeamsUser } from "../support/fake-teams.ts";

/**
 * Every loop, end to end through Microsoft Teams: the real CloudAdapter,
 * activities shaped as Teams sends them, cards read from what reached the
 * fake Bot Connector, buttons pressed as Teams presses them.
 */

let world: TeamsWorld;
beforeAll(async () => {
  world = await TeamsWorld.open();
});
afterAll(() => world.close());
beforeEach(() => world.reset());
afterEach(() => {
  // Nothing went to the connector that it does not know, and nothing failed unnoticed.
  expect(world.fake.unexpected()).toEqual([]);
  expect(world.log.lines.filter((l) => l.level === "error")).toEqual([]);
});

const PROGRAMME = "Young people's mental health";
const FIRST_SLOT = "2026-03-02T10:00:00Z"; // Monday 10am, an hour after the clock starts

type Cast = { fac: TeamsUser; jo: TeamsUser; kim: TeamsUser; priya: TeamsUser; eve: TeamsUser; programmeId: string };

/** The card of the newest message in a conversation whose text matches. */
function cardWith(conversationId: string, text: string | RegExp): { card: any; message: Recorded } {
  const message = world.messageWith(conversationId, text);
  return { card: FakeTeams.card(message), message };
}

/** Says yes to taking part (and to being quoted) on the welcome card, through Action.Execute. */

/** A facilitator gives someone a role by @mentioning them in the channel. */
async function giveRole(fac: TeamsUser, user: TeamsUser, role: string): Promise<void> {
  world.fake.members.set(user.id, { aadObjectId: user.aadObjectId, name: user.name });
  await world.send(world.build.inChannel(fac, `role @${user.name} ${role}`, [user]));
}

/** Joins from the channel, choosing a role on the card sent privately. */
async function joinAs(user: TeamsUser, roleLabel: string): Promise<void> {
  await world.send(world.build.inChannel(user, "join"));
  const { card, message } = cardWith(user.chat, roleLabel);
  await world.send(world.build.execute(user, findAction(card, roleLabel), {}, { replyToId: message.id }));
}

/** A programme in a Teams channel with everyone the loops need, all of whom installed wesaid and said yes. */
async function cast(): Promise<Cast> {
  const fac = await world.install(teamsUser("Sam Facilitator"));
  await world.send(world.build.inChannel(fac, `setup ${PROGRAMME}`));
  await world.consent(fac);
  const jo = await world.install(teamsUser("Jo Carer"));
  await joinAs(jo, "Expert by experience");
  await world.consent(jo);
  const kim = await world.install(teamsUser("Kim Patient"));
  await joinAs(kim, "Expert by experience");
  await world.consent(kim);
  const priya = await world.install(teamsUser("Priya Shah"));
  await giveRole(fac, priya, "commissioner");
  await world.consent(priya);
  const eve = await world.install(teamsUser("Eve Evaluator"));
  await giveRole(fac, eve, "evaluator");
  await world.consent(eve);
  const programme = await world.db.programme.findFirstOrThrow({ where: { name: PROGRAMME } });
  return { fac, jo, kim, priya, eve, programmeId: programme.id };
}

/** The value of the first choice of a ChoiceSet on a card. */
function firstChoice(card: any, id: string): string {
  return findInput(card, id).choices[0].value;
}

function findInput(card: any, id: string): any {
  let found: any;
  const visit = (node: any) => {
    if (!node || typeof node !== "object" || found) return;
    if (Array.isArray(node)) return node.forEach(visit);
    if (node.id === id && String(node.type).startsWith("Input.")) found = node;
    Object.values(node).forEach(visit);
  };
  visit(card);
  if (!found) throw new Error(`no input ${id} in ${cardText(card)}`);
  return found;
}

describe("every loop through Teams", () => {
  it("reflection prompts: a facilitator starts a series from a card, the prompt card is answered and updated in place", async () => {
    const { fac, jo } = await cast();
    await world.send(world.build.say(fac, "prompts"));
    const menu = cardWith(fac.chat, "How involved did you feel?");
    await world.send(world.build.execute(fac, findAction(menu.card, "How involved did you feel?"), {}, { replyToId: menu.message.id }));

    const start = cardWith(fac.chat, "Start these questions");
    const started = await world.send(
      world.build.execute(
        fac,
        findAction(start.card, "Start"),
        {
          title: "Decisions check",
          schedule: firstChoice(start.card, "schedule"),
          cron: "0 10 * * 1",
          timeZone: "Europe/London",
          // Teams joins the values of a multi-select with commas.
          audienceRoles: "expert_by_experience,professional",
          anonymous: "yes",
        },
        { replyToId: start.message.id },
      ),
    );
    expect(started.body.type).toBe("application/vnd.microsoft.card.adaptive");
    expect(cardText(started.body.value)).toContain('"Decisions check" is set up');
    const series = await world.db.promptSeries.findFirstOrThrow();
    expect(series.audienceRoles.sort()).toEqual(["expert_by_experience", "professional"]);

    world.clock.set(FIRST_SLOT);
    await world.app.core.tick();
    const prompt = cardWith(jo.chat, "Send my answers");
    expect(prompt.message.kind).toBe("post");
    expect(cardText(prompt.card)).toContain("How involved did you feel in the decisions made this month?");
    const send = findAction(prompt.card, "Send my answers");
    const values = Object.fromEntries(
      (send.data.wesaid.inputs as string[]).map((id) => {
        const input = findInput(prompt.card, id);
        return [id, input.type === "Input.ChoiceSet" ? input.choices.at(-1).value : "We shaped the plan together"];
      }),
    );
    const answered = await world.send(world.build.execute(jo, send, values, { replyToId: prompt.message.id }));
    expect(answered.body.statusCode).toBe(200);
    expect(cardText(answered.body.value)).toContain("Your answers are saved");
    const joPerson = await world.db.platformIdentity.findUniqueOrThrow({ where: { platform_externalId: { platform: "teams", externalId: jo.aadObjectId } } });
    const delivery = await world.db.promptDelivery.findFirstOrThrow({ where: { personId: joPerson.personId } });
    // Anonymous questions: nothing on the delivery notes that it was answered; the answers are there.
    expect(delivery.status).toBe("sent");
    expect(await world.db.promptResponse.count({ where: { occurrenceId: delivery.occurrenceId } })).toBeGreaterThan(0);

    // The same answer sent from a host without Universal Actions (Action.Submit) updates the card with a PUT.
    const again = cardWith(jo.chat, "Send my answers");
    await world.send(world.build.submit(jo, findAction(again.card, "Send my answers"), values, { replyToId: again.message.id }));
    const update = world.fake.updates(jo.chat).at(-1)!;
    expect(update.activityId).toBe(again.message.id);
    expect(cardText(FakeTeams.card(update))).toContain("Your answers are saved");
  });

  it("you said, we did: a suggestion goes to the channel by role, and the commissioner's update reaches the person who raised it", async () => {
    const { jo, kim, priya } = await cast();
    await world.send(world.build.say(jo, "suggest Hold the panel in the evening so carers can come"));
    expect(cardText(world.lastCard(jo.chat))).toContain("Your idea is #1");
    const notice = cardWith(CHANNEL, "New idea #1");
    expect(notice.message.kind).toBe("post");
    expect(cardText(notice.card)).toContain("Raised by an Expert by experience");
    expect(cardText(notice.card)).not.toContain("Jo");

    // The channel card carries no managers' controls; anyone can say it matters to them too (Action.Execute from a channel).
    expect(() => findAction(notice.card, "We are looking at it")).toThrow();
    const follow = await world.send(world.build.execute(kim, findAction(notice.card, "This matters to me too"), {}, { replyToId: notice.message.id, channel: true }));
    expect(follow.status).toBe(200);
    expect(cardText(world.lastCard(kim.chat))).toContain("Idea #1 matters to you too");

    // The commissioner manages it from her own 1:1 view.
    await world.send(world.build.say(priya, "idea #1"));
    const own = cardWith(priya.chat, "Idea #1");
    const looking = await world.send(world.build.execute(priya, findAction(own.card, "We are looking at it"), {}, { replyToId: own.message.id }));
    expect(looking.status).toBe(200);
    expect((await world.db.feedbackItem.findFirstOrThrow()).status).toBe("considering");
    expect(cardText(world.lastCard(jo.chat))).toContain("#1");
    expect(cardText(world.lastCard(kim.chat))).toContain("Idea #1, which matters to you, is now being looked at");

    await world.send(world.build.inChannel(priya, "update #1 We have moved the panel to evenings"));
    const post = cardWith(CHANNEL, "We did: We have moved the panel to evenings");
    expect(cardText(post.card)).toContain("Posted by a Commissioner");
    expect(cardText(post.card)).not.toContain("Priya");

    const news = cardWith(jo.chat, "News about your idea #1");
    const yes = findAction(news.card, "Yes, it answers what I said");
    const answered = await world.send(world.build.execute(jo, yes, {}, { replyToId: news.message.id }));
    const reaction = await world.db.feedbackReaction.findFirstOrThrow();
    expect(reaction.answered).toBe("yes");
    // The card is replaced in place by the answer, with a way to change it.
    expect(cardText(answered.body.value)).toContain("You said: Yes");
    const again = await world.send(world.build.execute(jo, findAction(answered.body.value, "Change my answer"), {}, { replyToId: news.message.id }));
    const no = await world.send(world.build.execute(jo, findAction(again.body.value, "No"), {}, { replyToId: news.message.id }));
    expect(cardText(no.body.value)).toContain("You said: No");
    expect((await world.db.feedbackReaction.findFirstOrThrow()).answered).toBe("no");
    expect(cardText(world.lastCard(kim.chat))).toContain("News about idea #1");
  });

  it("tasters: a facilitator posts a session from a card, sign-ups from the channel card update places left in place", async () => {
    const { fac, jo, kim } = await cast();
    await world.send(world.build.say(fac, "taster new"));
    const form = cardWith(fac.chat, "Post it");
    const created = await world.send(
      world.build.execute(
        fac,
        findAction(form.card, "Post it"),
        {
          title: "Music and memories",
          whatToExpect: "A musician plays old songs. You can sing along or just listen.",
          audienceRoles: "expert_by_experience",
          startsAt__date: "2026-03-10",
          startsAt__time: "14:00",
          endsAt__date: "2026-03-10",
          endsAt__time: "15:30",
          location: "Library, Market Street",
          onlineUrl: "",
          accessibility: "Step-free",
          capacity: "1",
          offerHoldHours: "24",
        },
        { replyToId: form.message.id },
      ),
    );
    expect(created.status).toBe(200);
    const taster = await world.db.taster.findFirstOrThrow();
    expect(taster).toMatchObject({ capacity: 1, startsAt: new Date("2026-03-10T14:00:00Z"), endsAt: new Date("2026-03-10T15:30:00Z"), audienceRoles: ["expert_by_experience"] });

    const post = cardWith(CHANNEL, "Music and memories");
    expect(cardText(post.card)).toContain("Places left: 1 of 1");
    const signUp = findAction(post.card, "Sign up");

    const booked = await world.send(world.build.execute(jo, signUp, {}, { replyToId: post.message.id, channel: true }));
    // Nothing private is shown in the channel: the answer went to Jo's 1:1 chat.
    expect(booked.body).toMatchObject({ type: "application/vnd.microsoft.activity.message", value: "I have sent you a private message." });
    const details = cardWith(jo.chat, /outlook\.office\.com/);
    expect(findAction(details.card, /calendar/i, "Action.OpenUrl").url).toContain("startdt=2026-03-10T14%3A00%3A00Z");
    const updated = world.fake.updates(CHANNEL).filter((u) => u.activityId === post.message.id);
    expect(cardText(FakeTeams.card(updated.at(-1)))).toContain("Places left: None");

    await world.send(world.build.execute(kim, signUp, {}, { replyToId: post.message.id, channel: true }));
    expect(cardText(world.lastCard(kim.chat))).toContain("You are number 1 on the waiting list");
    const statuses = await world.db.tasterSignup.findMany();
    const names = new Map((await world.db.person.findMany()).map((p) => [p.id, p.displayName]));
    expect(Object.fromEntries(statuses.map((s) => [names.get(s.personId), s.status]))).toEqual({ "Jo Carer": "booked", "Kim Patient": "waitlisted" });
  });

  it("panels: set up from a card with two people picked; members are invited privately, and the debrief card is answered and updated in place", async () => {
    const { fac, jo, priya } = await cast();
    await world.send(world.build.say(fac, "panel new"));
    const form = cardWith(fac.chat, "Set it up");
    expect(findInput(form.card, "members")).toMatchObject({ type: "Input.ChoiceSet", isMultiSelect: true, "choices.data": { type: "Data.Query", dataset: "graph.microsoft.com/users" } });
    const created = await world.send(
      world.build.execute(
        fac,
        findAction(form.card, "Set it up"),
        {
          title: "Interview panel for the new youth service",
          purpose: "Young people and commissioners interview the providers together.",
          startsAt__date: "2026-03-10",
          startsAt__time: "10:00",
          endsAt__date: "2026-03-10",
          endsAt__time: "12:00",
          // Teams' people picker sends the chosen people's Entra object ids, joined by commas.
          members: `${jo.aadObjectId},${priya.aadObjectId}`,
          prepPrompt: "",
        },
        { replyToId: form.message.id },
      ),
    );
    expect(cardText(created.body.value)).toContain("I have told the 2 people on it");
    const panel = await world.db.panel.findFirstOrThrow({ include: { members: true } });
    const names = new Map((await world.db.person.findMany()).map((p) => [p.id, p.displayName]));
    expect(panel).toMatchObject({ title: "Interview panel for the new youth service", startsAt: new Date("2026-03-10T10:00:00Z"), endsAt: new Date("2026-03-10T12:00:00Z") });
    expect(panel.members.map((m) => [names.get(m.personId), m.role]).sort()).toEqual([
      ["Jo Carer", "expert_by_experience"],
      ["Priya Shah", "commissioner"],
    ]);
    await world.app.core.flush();
    const invite = cardWith(jo.chat, "You are on a panel");
    expect(cardText(invite.card)).not.toContain("Priya");
    expect(findAction(invite.card, /calendar/i, "Action.OpenUrl").url).toContain("outlook.office.com");
    expect(world.messageWith(priya.chat, "You are on a panel").kind).toBe("post");

    await world.send(world.build.say(jo, "panel"));
    expect(cardText(world.lastCard(jo.chat))).toContain("Interview panel for the new youth service");

    world.clock.set("2026-03-10T12:05:00Z");
    await world.app.core.tick();
    const debrief = cardWith(jo.chat, "Did you feel listened to?");
    const submit = findAction(debrief.card, /send|save/i);
    const saved = await world.send(
      world.build.execute(jo, submit, { wentWell: "Meeting everyone first.", couldImprove: "Too many questions.", listenedTo: "partly", changeNextTime: "Shorter day." }, { replyToId: debrief.message.id }),
    );
    expect(cardText(saved.body.value)).toContain("Your answer is saved");
    expect(cardText(saved.body.value)).toContain("Did you feel listened to?: Partly");
    expect(await world.db.debriefResponse.count()).toBe(1);
    expect(world.fake.messages(fac.chat).length).toBeGreaterThan(0);
  });

  it("learning sets: set up from a card; a member joins, gets the reminder card before the meeting and answers the reflection card after it", async () => {
    const { fac, jo, kim } = await cast();
    await world.send(world.build.say(fac, "learning-set new"));
    const form = cardWith(fac.chat, "Set it up");
    const created = await world.send(
      world.build.execute(
        fac,
        findAction(form.card, "Set it up"),
        {
          name: "Carers' learning set",
          purpose: "Carers learn from each other's cases.",
          first__date: "2026-03-10",
          first__time: "10:00",
          howOften: "four times a year",
          meetings: "",
          hours: "",
          capacity: "6",
          audienceRoles: "expert_by_experience",
        },
        { replyToId: form.message.id },
      ),
    );
    expect(cardText(created.body.value)).toContain("Carers' learning set is set up");

    await world.send(world.build.say(jo, "learning-set"));
    const list = cardWith(jo.chat, "Join the group");
    await world.send(world.build.execute(jo, findAction(list.card, "Join the group"), {}, { replyToId: list.message.id }));
    expect(cardText(world.lastCard(jo.chat))).toContain("You are in Carers' learning set");

    await world.app.core.tick();
    world.clock.set("2026-03-09T11:00:00Z");
    await world.app.core.tick();
    await world.app.core.flush();
    const reminder = cardWith(jo.chat, "Reminder: Carers' learning set: meeting 1");
    expect(findAction(reminder.card, /calendar/i, "Action.OpenUrl").url).toContain("outlook.office.com");
    expect(world.fake.messages(kim.chat).some((m) => /Reminder: Carers/.test(cardText(FakeTeams.card(m))))).toBe(false);

    world.clock.set("2026-03-10T12:05:00Z");
    await world.app.core.tick();
    await world.app.core.flush();
    const reflection = cardWith(jo.chat, "Time to reflect on Carers' learning set: meeting 1");
    const saved = await world.send(
      world.build.execute(jo, findAction(reflection.card, /send|save/i), { wentWell: "Hearing how others cope.", couldImprove: "", listenedTo: "yes", changeNextTime: "" }, { replyToId: reflection.message.id }),
    );
    expect(cardText(saved.body.value)).toContain("Your answer is saved");
    expect(await world.db.debriefResponse.findFirstOrThrow({ include: { panel: true } })).toMatchObject({ wentWell: "Hearing how others cope.", panel: { meetingNumber: 1 } });
  });

  it("learning sets: the facilitator moves a meeting and gives a place from a card; the member is told privately and reminded at the new time", async () => {
    const { fac, jo, kim } = await cast();
    await world.send(world.build.say(fac, "learning-set new"));
    const form = cardWith(fac.chat, "Set it up");
    const values = { name: "Carers' learning set", purpose: "", first__date: "2026-03-10", first__time: "10:00", howOften: "every 3 months", meetings: "", hours: "", capacity: "6", audienceRoles: "" };
    await world.send(world.build.execute(fac, findAction(form.card, "Set it up"), values, { replyToId: form.message.id }));
    await world.send(world.build.say(jo, "learning-set"));
    const list = cardWith(jo.chat, "Join the group");
    await world.send(world.build.execute(jo, findAction(list.card, "Join the group"), {}, { replyToId: list.message.id }));
    await world.app.core.tick();

    await world.send(world.build.say(fac, "learning-set"));
    const manage = cardWith(fac.chat, "Change this group");
    await world.send(world.build.execute(fac, findAction(manage.card, "Change this group"), {}, { replyToId: manage.message.id }));
    const change = cardWith(fac.chat, "Save the changes");
    const ids = ["name", "purpose", "coming", "hours", "location", "onlineUrl", "capacity", "offerHoldHours"];
    const now = Object.fromEntries(ids.map((id) => [id, String(findInput(change.card, id).value ?? "")]));
    expect(now.coming).toMatch(/^2026-03-10 10:00, 2026-06-10 10:00/);
    const saved = await world.send(
      world.build.execute(fac, findAction(change.card, "Save the changes"), { ...now, coming: now.coming!.replace("2026-03-10 10:00", "2026-03-12 10:00"), location: "The Hub, room 2" }, { replyToId: change.message.id }),
    );
    expect(cardText(saved.body.value)).toContain("I have told the person in the group privately");
    await world.app.core.flush();
    const told = cardText(cardWith(jo.chat, "Changes to Carers' learning set").card);
    expect(told).toContain("Meeting 1 has moved. It was on Tuesday 10 March, 10am. It is now on Thursday 12 March, 10am.");
    expect(told).toContain("The group now meets at: The Hub, room 2.");
    expect(world.fake.messages(kim.chat).some((m) => /Changes to/.test(cardText(FakeTeams.card(m))))).toBe(false);

    world.clock.set("2026-03-09T11:00:00Z");
    await world.app.core.tick();
    await world.app.core.flush();
    expect(world.fake.messages(jo.chat).some((m) => /Reminder:/.test(cardText(FakeTeams.card(m))))).toBe(false);
    world.clock.set("2026-03-11T11:00:00Z");
    await world.app.core.tick();
    await world.app.core.flush();
    const reminder = cardText(cardWith(jo.chat, "Reminder: Carers' learning set: meeting 1").card);
    expect(reminder).toContain("Thursday 12 March");
    expect(reminder).toContain("The Hub, room 2");
  });

  it("forget-me: the channel card of their idea is updated in place (update activity) to say the words were removed", async () => {
    const { jo } = await cast();
    const idea = "Hold the panel in the evening so carers can come";
    await world.send(world.build.say(jo, `suggest ${idea}`));
    const notice = cardWith(CHANNEL, "New idea #1");
    expect(cardText(notice.card)).toContain(idea);
    await world.send(world.build.say(jo, "forget-me"));
    const confirm = world.messageWith(jo.chat, "Yes, delete everything");
    await world.send(world.build.execute(jo, findAction(FakeTeams.card(confirm), "Yes, delete everything"), {}, { replyToId: confirm.id }));
    const update = await world.fake.waitFor(() => world.fake.updates(CHANNEL).find((u) => u.activityId === notice.message.id), "the idea card to be updated");
    expect(cardText(FakeTeams.card(update))).toContain("Words removed at the request of the person who wrote them");
    expect(JSON.stringify(update.body)).not.toContain(idea);
    // Their Teams ids, chat address and name are in no row of any table.
    expect(rowsMentioning(await everyRowAsText(world.db), [jo.id, jo.aadObjectId, jo.chat, jo.name, idea])).toEqual([]);
  });

  it("forget-me by the person who linked the channel: their ids leave the channel's address, and the channel still gets posts", async () => {
    const { fac, jo } = await cast();
    const before = await world.db.programmeChannel.findFirstOrThrow();
    expect(JSON.stringify(before.address)).toContain(fac.id);
    await world.send(world.build.say(fac, "forget-me"));
    const confirm = world.messageWith(fac.chat, "Yes, delete everything");
    await world.send(world.build.execute(fac, findAction(FakeTeams.card(confirm), "Yes, delete everything"), {}, { replyToId: confirm.id }));
    expect(rowsMentioning(await everyRowAsText(world.db), [fac.id, fac.aadObjectId, fac.chat, fac.name])).toEqual([]);
    await world.send(world.build.say(jo, "suggest Shorter meetings in the afternoon"));
    expect(cardText(cardWith(CHANNEL, "New idea #1").card)).toContain("Shorter meetings in the afternoon");
  });

  it("digest: an evaluator receives the weekly summary in Teams, and can ask for it", async () => {
    const { eve, jo, programmeId } = await cast();
    await world.db.programme.update({ where: { id: programmeId }, data: { createdAt: new Date("2026-03-02T09:00:00Z") } });
    await world.send(world.build.say(jo, "suggest Shorter meetings"));

    world.clock.set("2026-03-09T10:00:00Z");
    await world.app.core.tick();
    const digest = world.lastCard(eve.chat);
    expect(cardText(digest)).toMatch(/week/i);
    expect(cardText(digest)).not.toContain("Jo Carer");
    expect(await world.db.digest.count()).toBe(1);

    await world.send(world.build.say(eve, "digest"));
    expect(world.fake.messages(eve.chat).at(-1)!.kind).toBe("reply");
    expect(cardText(world.lastCard(eve.chat))).toMatch(/week/i);

    // Only those who may read it can ask for it.
    await world.send(world.build.say(jo, "digest"));
    expect(cardText(world.lastCard(jo.chat))).toContain("Sorry, only people in these roles can do that");
  });
});

describe("prompts that fit people's lives, through Teams", () => {
  it("a staged survey at each person's local time is set up from the card, and its start survey says which stage it is", async () => {
    const { fac, jo } = await cast();
    await world.send(world.build.say(fac, "prompts"));
    const menu = cardWith(fac.chat, "How involved did you feel?");
    await world.send(world.build.execute(fac, findAction(menu.card, "How involved did you feel?"), {}, { replyToId: menu.message.id }));
    const start = cardWith(fac.chat, "Start these questions");
    expect(cardText(start.card)).toContain("Send at each person's own local time?");
    const values = { title: "Before and after", timeZone: "Europe/London", localTime: "yes", baselineAt: "2026-03-03 10:00", audienceRoles: "expert_by_experience", anonymous: "no" };
    // A date that cannot be read is refused, and nothing is set up.
    await world.send(world.build.execute(fac, findAction(start.card, "Start"), { ...values, baselineAt: "next spring" }, { replyToId: start.message.id }));
    expect(await world.db.promptSeries.count()).toBe(0);
    // The facilitator is told why, in plain words: the date the form could not read.
    expect(cardText(FakeTeams.card(world.fake.messages(fac.chat).at(-1)!))).toContain('We could not read "Start survey date". Write it like 2027-03-10 10:00.');

    await world.send(world.build.execute(fac, findAction(start.card, "Start"), values, { replyToId: start.message.id }));
    const series = await world.db.promptSeries.findFirstOrThrow();
    expect(series).toMatchObject({ localTime: true, cron: "" });

    world.clock.set("2026-03-03T10:00:00Z");
    await world.app.core.tick();
    expect(cardText(cardWith(jo.chat, "Send my answers").card)).toContain("This is the start survey.");
  }, 120_000);
});
