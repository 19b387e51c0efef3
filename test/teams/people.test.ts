import { request } from "node:http";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MINUTE } from "../../src/clock.ts";
import { recordConsent } from "../../src/people/index.ts";
import { TeamsWorld } from "./harness.ts";
import { CHANNEL, FakeTeams, TENANT, cardText, findAction, fixture, teamsUser, type TeamsUser } from "../support/fake-teams.ts";

/**
 * The people loop through Microsoft Teams, end to end: real CloudAdapter,
 * activities shaped as Teams sends them, a fake Bot Connector.
 */

let world: TeamsWorld;
let startupLog: TeamsWorld["log"]["lines"];
beforeAll(async () => {
  world = await TeamsWorld.open();
  startupLog = [...world.log.lines];
});
afterAll(() => world.close());
beforeEach(() => world.reset());
afterEach(() => {
  // Nothing went to the connector that it does not know, and nothing failed unnoticed.
  expect(world.fake.unexpected()).toEqual([]);
  expect(world.log.lines.filter((l) => l.level === "error")).toEqual([]);
});

const PROGRAMME = "Young people's mental health";

/** The server answers an oversized body before reading it all, so it gets a connection of its own. */
function postOnItsOwnConnection(body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${world.app.url}/api/messages`, { method: "POST", agent: false, headers: { "content-type": "application/json" } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** A facilitator installs wesaid and sets a programme up in the channel. */
async function programmeWithFacilitator(): Promise<{ fac: TeamsUser; programmeId: string }> {
  const fac = await world.install(teamsUser("Sam Facilitator"));
  await world.send(world.build.inChannel(fac, `setup ${PROGRAMME}`));
  const programme = await world.db.programme.findFirstOrThrow({ where: { name: PROGRAMME } });
  return { fac, programmeId: programme.id };
}


describe("installing wesaid in Teams", () => {
  it("stores the 1:1 chat as the person's address and says hello once", async () => {
    const jo = await world.install(teamsUser("Jo Carer"));
    const hello = world.fake.messages(jo.chat);
    expect(hello).toHaveLength(1);
    expect(hello[0]!.kind).toBe("post");
    expect(cardText(FakeTeams.card(hello[0]))).toContain("What you can do");
    const identity = await world.db.platformIdentity.findUniqueOrThrow({ where: { platform_externalId: { platform: "teams", externalId: jo.aadObjectId } } });
    expect(identity.tenantId).toBe(TENANT);
    expect(identity.address).toMatchObject({ kind: "conversation", reference: { conversation: { id: jo.chat, conversationType: "personal" }, serviceUrl: world.fake.serviceUrl } });
    expect((identity.address as any).reference.activityId).toBeUndefined();
    expect(world.fake.unexpected()).toEqual([]);
  });

  it("says hello in the channel when added to a team, and remembers who added it", async () => {
    const sam = teamsUser("Sam Facilitator");
    await world.send(world.build.addedToTeam(sam));
    const posts = world.fake.messages("19:mental-health-review-team@thread.tacv2");
    expect(posts).toHaveLength(1);
    expect(posts[0]!.kind).toBe("post");
    expect(cardText(FakeTeams.card(posts[0]))).toContain("setup <programme name>");
    const identity = await world.db.platformIdentity.findUniqueOrThrow({ where: { platform_externalId: { platform: "teams", externalId: sam.aadObjectId } } });
    // Met in a channel: wesaid will open a 1:1 chat, never write to the channel.
    expect(identity.address).toMatchObject({ kind: "member", user: { id: sam.id } });
  });
});

describe("people commands in a 1:1 chat", () => {
  it("answers help, pause and resume in the chat, as replies", async () => {
    const jo = await world.install(teamsUser("Jo Carer"));
    const said = world.build.say(jo, "pause");
    await world.send(said);
    const reply = world.fake.messages(jo.chat).at(-1)!;
    expect(reply.kind).toBe("reply");
    expect(reply.activityId).toBe(said.id);
    expect(reply.body.summary).toContain("Messages are paused");
    const person = await world.db.person.findFirstOrThrow({ where: { displayName: "Jo Carer" }, include: { preference: true } });
    expect(person.preference?.pausedAt).not.toBeNull();

    await world.send(world.build.say(jo, "resume"));
    expect(cardText(world.lastCard(jo.chat))).toContain("Messages are on again");
  });

  it("explains plainly when something cannot be done, never silently", async () => {
    const jo = await world.install(teamsUser("Jo Carer"));
    await world.send(world.build.say(jo, "prefs"));
    expect(cardText(world.lastCard(jo.chat))).toContain("You have not joined a programme yet");
    await world.send(world.build.say(jo, "fly me to the moon"));
    expect(cardText(world.lastCard(jo.chat))).toContain('Sorry, I do not know "fly"');
  });

  it("shows my-data in a card that opens, and forget-me deletes everything from a button", async () => {
    const jo = await world.install(teamsUser("Jo Carer"));
    await world.send(world.build.say(jo, "my-data"));
    const data = world.lastCard(jo.chat);
    expect(cardText(data)).toContain("Everything we store about you");
    const file = findAction(data, "Download all of it", "Action.ShowCard");
    expect(cardText(file.card)).toContain('"displayName": "Jo Carer"');

    await world.send(world.build.say(jo, "forget-me"));
    const confirm = world.messageWith(jo.chat, "Yes, delete everything");
    const yes = findAction(FakeTeams.card(confirm), "Yes, delete everything");
    expect(yes.style).toBe("destructive");
    const answer = await world.send(world.build.execute(jo, yes, {}, { replyToId: confirm.id }));
    // Action.Execute: Teams replaces the card with the one in the invoke response.
    expect(answer.body).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.card.adaptive" });
    expect(cardText(answer.body.value)).toContain("We have deleted everything about you");
    expect(await world.db.platformIdentity.count()).toBe(0);
    expect(await world.db.person.count({ where: { erasedAt: null } })).toBe(0);
  });

  it("handles a repeated delivery of the same activity once", async () => {
    const jo = await world.install(teamsUser("Jo Carer"));
    const said = world.build.say(jo, "pause");
    await world.send(said);
    await world.send(said);
    expect(world.fake.messages(jo.chat).filter((m) => m.kind === "reply")).toHaveLength(1);
  });
});

describe("a programme run from a Teams channel", () => {
  it("sets up from the channel: programme linked to the channel, facilitator told privately, channel told how to join", async () => {
    const { fac } = await programmeWithFacilitator();
    const channel = await world.db.programmeChannel.findFirstOrThrow({ include: { programme: true } });
    expect(channel).toMatchObject({ platform: "teams", externalId: CHANNEL });
    expect(channel.address).toMatchObject({ kind: "conversation", reference: { conversation: { id: CHANNEL, conversationType: "channel" } } });

    // Teams has no private messages in a channel: the answer goes to the 1:1 chat, the thread is told.
    expect(world.messageWith(fac.chat, "is set up in this channel").kind).toBe("post");
    const thread = world.fake.messages().filter((m) => m.conversationId?.startsWith(`${CHANNEL};messageid=`));
    expect(thread.map((m) => m.body.text)).toEqual(["I have sent you a private message."]);
    // The announcement is a new post in the channel.
    const announcement = world.fake.messages(CHANNEL);
    expect(announcement).toHaveLength(1);
    expect(announcement[0]!.kind).toBe("post");
    expect(cardText(FakeTeams.card(announcement[0]))).toContain("Type join");
  });

  it("joins with a role card (Action.Execute) and records consent from the welcome card (Action.Submit), updating it in place", async () => {
    await programmeWithFacilitator();
    const jo = await world.install(teamsUser("Jo Carer"));
    await world.send(world.build.inChannel(jo, "join"));
    const choose = world.messageWith(jo.chat, "Expert by experience");
    const role = await world.send(world.build.execute(jo, findAction(FakeTeams.card(choose), "Expert by experience"), {}, { replyToId: choose.id }));
    expect(cardText(role.body.value)).toContain(`You have joined ${PROGRAMME}`);

    const welcome = world.messageWith(jo.chat, "Save my choices");
    const welcomeCard = FakeTeams.card(welcome);
    expect(cardText(welcomeCard)).toContain(`Welcome to ${PROGRAMME}`);
    expect(JSON.stringify(welcomeCard)).toContain('"id":"participation"');

    await world.send(world.build.submit(jo, findAction(welcomeCard, "Save my choices"), { participation: "yes", quotation: "no" }, { replyToId: welcome.id }));
    const updated = world.fake.updates(jo.chat);
    expect(updated).toHaveLength(1);
    expect(updated[0]!.activityId).toBe(welcome.id);
    expect(cardText(FakeTeams.card(updated[0]))).toContain("will not quote");
    const consents = await world.db.consentRecord.findMany({ where: { person: { displayName: "Jo Carer" } } });
    expect(consents.map((c) => [c.kind, c.granted]).sort()).toEqual([
      ["participation", true],
      ["quotation", false],
    ]);
  });

  it("sends @mentions as the people they name: a facilitator gives a role; someone without the app is reported to facilitators", async () => {
    const { fac, programmeId } = await programmeWithFacilitator();
    // The facilitator answers the welcome's consent question: until then wesaid sends them nothing else.
    const facilitator = await world.db.membership.findFirstOrThrow({ where: { programmeId, role: "facilitator" } });
    await recordConsent(world.app.core.ctx, { personId: facilitator.personId, programmeId, participation: true, quotation: false });
    const priya = teamsUser("Priya Shah");
    world.fake.members.set(priya.id, { aadObjectId: priya.aadObjectId, name: priya.name });
    await world.send(world.build.inChannel(fac, "role @Priya Shah commissioner", [priya]));

    const membership = await world.db.membership.findFirstOrThrow({ where: { role: "commissioner" }, include: { person: { include: { identities: true } } } });
    expect(membership.person.identities[0]).toMatchObject({ platform: "teams", externalId: priya.aadObjectId });
    // Priya never installed wesaid: the welcome cannot reach her, and the facilitator is told how to fix it.
    const welcome = await world.db.outboxMessage.findFirstOrThrow({ where: { purpose: "people.welcome", personId: membership.personId } });
    expect(welcome.status).toBe("unreachable");
    expect(welcome.lastError).toBe("they have not installed the wesaid app in Teams");
    // The core's sweep reports people it cannot reach.
    await world.app.core.tick();
    const report = cardText(FakeTeams.card(world.messageWith(fac.chat, "We could not reach")));
    expect(report).toContain("We could not reach");
    expect(report).toContain("add the wesaid app in Teams");
  });

  it("sends private replies from a channel to a 1:1 chat it opens, or says in the thread how to fix it", async () => {
    await programmeWithFacilitator();
    // Kim has never opened wesaid: Teams lets it open a 1:1 chat with a team member.
    const kim = teamsUser("Kim Clinician");
    await world.send(world.build.inChannel(kim, "join"));
    const created = world.fake.calls.filter((c) => c.kind === "create");
    expect(created).toHaveLength(1);
    expect(created[0]!.body).toMatchObject({ isGroup: false, members: [{ id: kim.id }], tenantId: TENANT });
    expect(cardText(world.lastCard(`a:1personal-${kim.id.slice(3)}`))).toContain("Which of these best describes you");

    // Lee cannot be reached privately: nothing private is posted in the channel.
    const lee = teamsUser("Lee Carer");
    world.fake.notInstalled.add(lee.id);
    await world.send(world.build.inChannel(lee, "join"));
    const thread = world.fake.messages().filter((m) => m.conversationId?.startsWith(`${CHANNEL};messageid=`));
    expect(thread.at(-1)!.body.text).toContain("I could not send you a private message");
    expect(JSON.stringify(thread.map((m) => m.body))).not.toContain("Which of these best describes you");
  });

  it("answers in a group chat privately too", async () => {
    const jo = await world.install(teamsUser("Jo Carer"));
    const groupChat = { ...fixture("group-chat-message"), serviceUrl: world.fake.serviceUrl, from: { id: jo.id, name: jo.name, aadObjectId: jo.aadObjectId } };
    await world.send(groupChat);
    expect(cardText(world.lastCard(jo.chat))).toContain("What you can do");
    expect(world.fake.messages("19:group-chat-id@thread.v2").map((m) => m.body.text)).toEqual(["I have sent you a private message."]);
  });
});

describe("Teams throttling and faults", () => {
  it("hands a 429 with a long Retry-After back to the outbox, and delivers it once the wait is over", async () => {
    world.fake.failNext(1, 429, { headers: { "Retry-After": "30" }, match: (c) => c.kind === "post" && c.conversationId === CHANNEL });
    await programmeWithFacilitator();
    expect(world.fake.messages(CHANNEL)).toHaveLength(0);
    const row = await world.db.outboxMessage.findFirstOrThrow({ where: { purpose: "programme.announce" } });
    expect(row.status).toBe("pending");
    expect(row.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(world.clock.now().getTime() + 30_000);

    world.clock.advance(2 * MINUTE);
    await world.app.core.flush();
    expect(world.fake.messages(CHANNEL)).toHaveLength(1);
    expect((await world.db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } })).status).toBe("sent");
  });

  it("retries 502s and a short 429 at once, so the person still gets the answer", async () => {
    const jo = await world.install(teamsUser("Jo Carer"));
    world.fake.failNext(2, 502, { match: (c) => c.kind === "reply" && c.conversationId === jo.chat });
    await world.send(world.build.say(jo, "pause"));
    const replies = world.fake.calls.filter((c) => c.kind === "reply" && c.conversationId === jo.chat);
    expect(replies.map((r) => r.status)).toEqual([502, 502, 201]);

    world.fake.failNext(1, 429, { headers: { "Retry-After": "0.2" }, match: (c) => c.kind === "reply" && c.conversationId === jo.chat });
    await world.send(world.build.say(jo, "resume"));
    expect(cardText(world.lastCard(jo.chat))).toContain("Messages are on again");
  });

  it("answers a button press within Teams' five seconds even when Teams is slow to take the private message", async () => {
    const jo = await world.install(teamsUser("Jo Carer"));
    world.fake.slowNext(1, 4_000, (c) => c.kind === "post" && c.conversationId === jo.chat);
    const started = performance.now();
    const pause = await world.post(world.build.execute(jo, { title: "Pause messages", verb: "people.pause", data: { wesaid: { action: "people.pause" } } }));
    expect(performance.now() - started).toBeLessThan(3_500);
    expect(pause.body).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.activity.message", value: expect.stringContaining("Messages are paused") });
    // The message still arrives, after the answer.
    await world.fake.waitFor(() => world.fake.messages(jo.chat).some((m) => m.body.summary?.includes("Messages are paused")), "the private message", 8_000);
  });

  it("marks a person unreachable when they have removed the app", async () => {
    await programmeWithFacilitator();
    const jo = await world.joinAsExpert("Jo Carer");
    world.fake.removedFrom.add(jo.chat);
    const person = await world.db.person.findFirstOrThrow({ where: { displayName: "Jo Carer" } });
    await world.app.core.ctx.db.outboxMessage.create({
      data: { key: "test:removed", purpose: "test", personId: person.id, message: { summary: "Hello", blocks: [] }, nextAttemptAt: world.clock.now() },
    });
    await world.app.core.flush();
    const row = await world.db.outboxMessage.findUniqueOrThrow({ where: { key: "test:removed" } });
    expect(row.status).toBe("unreachable");
    expect(row.lastError).toBe("the wesaid app is no longer installed for them in Teams");
  });
});

describe("requests wesaid refuses", () => {
  it("answers 400 to malformed bodies and carries on", async () => {
    expect((await world.post("{not json")).status).toBe(400);
    expect((await world.post("[]")).status).toBe(400);
    expect((await world.post({})).status).toBe(400);
    expect((await world.post({ type: 5 })).status).toBe(400);
    expect(await postOnItsOwnConnection("x".repeat(1_100_000))).toBe(413);
    // The oversized body is noted as a warning (the sender's mistake), never as an error of wesaid's.
    expect(world.log.lines.filter((l) => l.msg === "request refused: its body is too large").map((l) => l.level)).toEqual(["warn"]);
    expect(world.log.lines.filter((l) => l.level === "error")).toEqual([]);
    // An activity that does not say who sent it is acknowledged and ignored.
    expect((await world.post({ type: "message", text: "pause", channelId: "msteams", serviceUrl: world.fake.serviceUrl, conversation: { id: "a:1x" }, recipient: { id: "28:x" } })).status).toBe(200);
    expect(await world.db.person.count()).toBe(0);
    const jo = await world.install(teamsUser("Jo Carer"));
    // Card data wesaid did not make, and invokes it does not use.
    await world.send({ ...world.build.say(jo, ""), value: { something: "else" } });
    expect(cardText(world.lastCard(jo.chat))).toContain("What you can do");
    const other = await world.post({ ...world.build.execute(jo, { verb: "x", data: {} }), name: "composeExtension/query" });
    expect(other.status).toBe(200);
    const unknown = await world.post(world.build.execute(jo, { title: "Old", verb: "no.such.action", data: {} }));
    expect(unknown.body).toMatchObject({ statusCode: 200, type: "application/vnd.microsoft.activity.message" });
    expect(cardText(world.lastCard(jo.chat))).toContain("that button no longer works");
    expect((await fetch(`${world.app.url}/healthz`)).status).toBe(200);
  });
});

describe("authentication", () => {
  it("with MICROSOFT_APP_ID set, refuses a request without a valid token (401) and changes nothing, even if unauthenticated use is asked for", async () => {
    const secured = await TeamsWorld.open({ MICROSOFT_APP_ID: "00000000-0000-4000-8000-00000000b0b0", MICROSOFT_APP_PASSWORD: "not-a-real-secret" });
    try {
      expect(secured.app.adapters.find((a) => a.platform === "teams")?.description).not.toContain("WITHOUT authentication");
      const jo = teamsUser("Jo Carer");
      for (const activity of [...secured.build.install(jo), secured.build.say(jo, "pause")]) {
        const res = await secured.post(activity);
        expect(res.status).toBe(401);
      }
      expect(await secured.db.person.count()).toBe(0);
      expect(await secured.db.outboxMessage.count()).toBe(0);
      expect(secured.fake.calls).toEqual([]);
      expect(secured.log.lines.some((l) => l.msg.includes("WITHOUT authentication"))).toBe(false);
    } finally {
      await secured.close();
    }
  });

  it("warns loudly when switched on without credentials", () => {
    // The shared world was started with TEAMS_ALLOW_UNAUTHENTICATED=1 and no app id.
    const description = world.app.adapters.find((a) => a.platform === "teams")?.description;
    expect(description).toContain("WITHOUT authentication");
    expect(startupLog.find((l) => l.level === "warn")?.msg).toContain("TEAMS_ALLOW_UNAUTHENTICATED=1");
  });
});
