import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { World, findButton, findForm, textOf, type TestPerson } from "../../support/world.ts";
import { backends, everyRowAsText, rowsMentioning } from "../../support/databases.ts";
import { createSeriesFromTemplate } from "../../../src/prompts/index.ts";
import { createTaster } from "../../../src/tasters/index.ts";
import { createLearningSet, createPanel } from "../../../src/panels/index.ts";
import { buildDigest } from "../../../src/digest/index.ts";
import { peopleCatalogue } from "../../../src/people/index.ts";
import { plainText, type Message } from "../../../src/messages/model.ts";

/**
 * "Forget me" forgets everything (issue 9). One person does everything wesaid
 * lets a person do, then asks to be forgotten; afterwards every column of
 * every table is read as text and searched for their id, name, platform id
 * and every sentence they wrote. This is the test that makes the forget-me
 * confirmation ("This deletes your name, your chat accounts, your choices,
 * your sign-ups and the words you wrote, here and in copies we posted or kept") true.
 */

const NAME = "Jolene Quarrington";
const NAMED_WELL = "The peer support group on Tuesdays kept me going";
const NAMED_HARD = "Getting the bus to the clinic with my son is exhausting";
const ANONYMOUS_WORDS = "Staff at the front desk talked over me twice";
const IDEA_OWNED = "Put the meeting papers in large print for people like me";
const IDEA_MINE = "Let carers bring a friend to the first panel meeting";
const COMMENT = "It helps but the room is still too far from the station";
const WENT_WELL = "Hearing from the young people directly was powerful";
const COULD_IMPROVE = "The questions for candidates arrived the night before";
const CHANGE_NEXT = "Send the candidate packs a full week ahead of the day";
const CHECKED = "Mostly right but the bus times were the real problem for us";
const WRITTEN = [NAMED_WELL, NAMED_HARD, IDEA_OWNED, IDEA_MINE, COMMENT, WENT_WELL, COULD_IMPROVE, CHANGE_NEXT, CHECKED];

const isPrompt = (m: Message, title: string) => m.summary.includes(title) && m.blocks.some((b) => b.kind === "form" && b.id === "prompt");
const answersFor = (msg: Message, values: string[]) => Object.fromEntries(findForm(msg, "prompt").inputs.map((input, i) => [input.id, values[i] ?? ""]));

/** Every row of every table, as PostgreSQL writes it as text. */
async function dump(world: World) {
  const rows = await everyRowAsText(world.prisma);
  expect(new Set(rows.map((r) => r.table)).size).toBeGreaterThan(20);
  return rows;
}
const hits = rowsMentioning;

describe.each(backends())("forget me, on %s", (backend) => {
  let world: World;
  beforeAll(async () => {
    world = await World.open(backend);
  });
  afterAll(() => world.close());

  it("leaves nothing about the person in any column of any table, and the others' work and totals stay", async () => {
    const tickAt = async (iso: string) => {
      world.clock.set(iso);
      await world.tick();
    };
    const programme = await world.programme();
    const fac = programme.facilitator;
    const jo = await world.person(programme, NAME, "expert_by_experience");
    const priya = await world.person(programme, "Priya Raman", "commissioner");
    const sam = await world.person(programme, "Sam Okoro", "professional");
    const eve = await world.person(programme, "Eve Lindqvist", "evaluator");
    const others: TestPerson[] = [];
    for (const name of ["Ali Brennan", "Bea Castillo", "Cy Duarte", "Di Evans"]) others.push(await world.person(programme, name, "expert_by_experience"));
    // The facilitator reads digests in Tokyo (gets them at once); the evaluator in London (gets them after quiet hours).
    await world.prisma.preference.upsert({ where: { personId: fac.id }, create: { personId: fac.id, timeZone: "Asia/Tokyo" }, update: { timeZone: "Asia/Tokyo" } });

    // Answers: a named series (words quoted in the digest) and an anonymous one; then Jo stops the anonymous one.
    await createSeriesFromTemplate(world.ctx, fac.id, programme.id, "ndti_survey", { cron: "0 10 * * 1", title: "Named check-in" });
    await createSeriesFromTemplate(world.ctx, fac.id, programme.id, "ndti_survey", { cron: "0 10 * * 1", title: "Anonymous pulse", anonymous: true });
    await tickAt("2026-03-02T10:00:00Z");
    const named = jo.inbox().find((m) => isPrompt(m, "Named check-in"))!;
    expect((await jo.press(findForm(named, "prompt").submit, answersFor(named, ["7", "8", NAMED_WELL, NAMED_HARD]))).error).toBeUndefined();
    const anonymous = jo.inbox().find((m) => isPrompt(m, "Anonymous pulse"))!;
    expect((await jo.press(findForm(anonymous, "prompt").submit, answersFor(anonymous, ["3", "4", ANONYMOUS_WORDS, ""]))).error).toBeUndefined();
    expect((await jo.press(findButton(anonymous, "Not this time").call)).error).toBeUndefined();
    for (const [i, person] of others.entries()) {
      const msg = person.inbox().find((m) => isPrompt(m, "Named check-in"))!;
      await person.press(findForm(msg, "prompt").submit, answersFor(msg, [String(5 + i), "6", `Someone else's answer number ${i + 1}`, ""]));
    }
    const prefs = findForm((await jo.say("prefs")).private, "prefs");
    expect((await jo.press(prefs.submit, { timeZone: "Europe/London", quietStart: "22:00", quietEnd: "07:30", reminderLimit: "1" })).error).toBeUndefined();

    // Ideas: one Priya owns, one nobody owns; a "we did" Jo replies to with a comment; a shared action.
    expect((await jo.say(`suggest ${IDEA_OWNED}`)).error).toBeUndefined();
    expect((await jo.say(`suggest ${IDEA_MINE}`)).error).toBeUndefined();
    await priya.press({ action: "feedback.assign", args: { item: "1", ownerExternalId: "me", dueInDays: "30" } });
    await priya.press({ action: "feedback.status", args: { item: "1", status: "agreed" } });
    expect((await priya.say("update #1 We have ordered large print copies")).error).toBeUndefined();
    const ask = jo.inbox().find((m) => plainText(m).includes("We have ordered large print copies"))!;
    const answered = await jo.press(findButton(ask, "Partly").call);
    expect((await jo.press(findForm(answered.replaceSource).submit, { comment: COMMENT })).error).toBeUndefined();
    // Jo says an idea someone else raised matters to her too.
    expect((await others[0]!.say("suggest Quiet room at the venue")).error).toBeUndefined();
    const otherIdea = await world.prisma.feedbackItem.findFirstOrThrow({ where: { text: "Quiet room at the venue" } });
    expect((await jo.press({ action: "feedback.follow", args: { itemId: otherIdea.id } }, {}, "channel")).error).toBeUndefined();
    const coown = await fac.press({ action: "feedback.coown", args: { title: "Plan the large print open day" } }, {}, "direct", { owners: [{ externalId: jo.externalId }, { externalId: priya.externalId }] });
    expect(coown.error).toBeUndefined();

    // Tasters: a place on one, the waiting list of another.
    const base = { programmeId: programme.id, whatToExpect: "Tea and a chat", audienceRoles: [], startsAt: new Date("2026-03-12T14:00:00Z"), endsAt: new Date("2026-03-12T15:00:00Z"), location: "The Hub", accessibility: "Step-free", capacity: 1, offerHoldHours: 24 };
    const booked = await createTaster(world.ctx, fac.id, { ...base, title: "Drawing together" });
    const full = await createTaster(world.ctx, fac.id, { ...base, title: "Gardening together" });
    await world.core.flush();
    expect(textOf((await jo.press({ action: "taster.signup", args: { tasterId: booked.id } })).private)).not.toContain("waiting list");
    await others[0]!.press({ action: "taster.signup", args: { tasterId: full.id } });
    expect(textOf((await jo.press({ action: "taster.signup", args: { tasterId: full.id } })).private)).toContain("waiting list");
    expect(textOf((await others[1]!.press({ action: "taster.signup", args: { tasterId: booked.id } })).private)).toContain("waiting list");

    // A panel, and Jo's debrief after it.
    await createPanel(world.ctx, fac.id, { programmeId: programme.id, title: "Interview panel", startsAt: new Date("2026-03-03T10:00:00Z"), endsAt: new Date("2026-03-03T12:00:00Z"), members: [{ personId: jo.id }, { personId: sam.id }] });
    await tickAt("2026-03-03T12:05:00Z");
    const debrief = jo.inbox().find((m) => m.blocks.some((b) => b.kind === "form" && b.id === "panel-debrief"))!;
    expect((await jo.press(findForm(debrief, "panel-debrief").submit, { wentWell: WENT_WELL, couldImprove: COULD_IMPROVE, listenedTo: "yes", changeNextTime: CHANGE_NEXT })).error).toBeUndefined();

    // A learning set: Jo has one of its two places; someone else waits for one.
    const set = await createLearningSet(world.ctx, fac.id, { programmeId: programme.id, name: "Carers' learning set", first: "2026-03-20 10:00", howOften: "every 3 months", capacity: 2, audienceRoles: [] });
    for (const who of [jo, sam, others[0]!]) expect((await who.press({ action: "learningset.join", args: { setId: set.id } })).error).toBeUndefined();

    // A member check from the evaluator, which Jo answers with words of their own.
    const checkForm = findForm((await eve.say("check")).private, "membercheck-new");
    const checkPreview = await eve.press(checkForm.submit, { title: "What we heard", summary: "Travel to appointments is hard for carers." });
    expect((await eve.press(findButton(checkPreview.private, "Send it").call)).error).toBeUndefined();
    const check = jo.inbox().find((m) => m.blocks.some((b) => b.kind === "form" && b.id === "membercheck-answer"))!;
    expect((await jo.press(findForm(check, "membercheck-answer").submit, { verdict: "partly", comment: CHECKED })).error).toBeUndefined();

    // The weekly digest at 03:00 on Monday: sent to the facilitator, queued for the evaluator; both quote Jo.
    await tickAt("2026-03-09T03:00:00Z");
    const digest = await world.prisma.digest.findFirstOrThrow();
    expect(JSON.stringify(digest.data)).toContain(NAMED_WELL);
    const digestRows = await world.prisma.outboxMessage.findMany({ where: { purpose: "digest.weekly" } });
    expect(digestRows.map((r) => r.status).sort()).toEqual(["pending", "sent"]);
    // Something queued for Jo too (after their quiet hours), quoting their idea.
    await priya.say("update #1 The large print copies have arrived");
    expect(await world.prisma.outboxMessage.count({ where: { personId: jo.id, status: "pending" } })).toBeGreaterThan(0);
    const ideaPost = world.messenger.sent.find((s) => s.target.kind === "channel" && plainText(s.message).includes(IDEA_OWNED))!;
    expect(ideaPost).toBeDefined();

    const before = await dump(world);
    const identity = await world.prisma.platformIdentity.findFirstOrThrow({ where: { personId: jo.id } });
    const traces = [jo.id, NAME, identity.externalId, ...WRITTEN];
    // Each trace is really there before, so finding none afterwards means something.
    for (const trace of traces) expect(hits(before, [trace]).length, trace).toBeGreaterThan(0);
    const totalsBefore = await buildDigest(world.prisma, world.ctx.settings, programme.id, new Date("2026-03-02T00:00:00Z"));

    // Forget me.
    world.clock.set("2026-03-09T03:05:00Z");
    const confirm = await jo.say("forget-me");
    expect(textOf((await jo.press(findButton(confirm.private, "Yes, delete everything").call)).replaceSource)).toContain("We have deleted everything about you");

    const after = await dump(world);
    expect(hits(after, traces)).toEqual([]);

    // Answers to the anonymous series were never linked to Jo, so they stay, with the role only (the confirmation says so).
    const anon = await world.prisma.promptResponse.findFirstOrThrow({ where: { text: ANONYMOUS_WORDS } });
    expect(anon).toMatchObject({ personId: null });

    // The owner's work stays: the idea, its number, status, owner and history, as an idea from someone who has left.
    const item = await world.prisma.feedbackItem.findFirstOrThrow({ where: { programmeId: programme.id, number: 1 }, include: { history: true } });
    expect(item).toMatchObject({ text: peopleCatalogue.forgetText.removedIdea, raisedById: null, ownerId: priya.id, status: "done" });
    expect(item.history.map((h) => h.to)).toEqual(expect.arrayContaining(["received", "agreed", "done"]));
    expect(textOf((await priya.say("idea #1")).private)).toContain("An idea from someone who has left");
    const action = await world.prisma.coOwnedAction.findFirstOrThrow({ include: { owners: true } });
    expect(action.owners.map((o) => o.personId)).toEqual([priya.id]);

    // Jo's "partly" still counts, with the role only.
    expect(await world.prisma.memberCheckResponse.findFirstOrThrow()).toMatchObject({ personId: null, role: "expert_by_experience", verdict: "partly", comment: "" });

    // Jo's place goes to the next person waiting.
    expect(await world.prisma.tasterSignup.findFirstOrThrow({ where: { tasterId: booked.id, personId: others[1]!.id } })).toMatchObject({ status: "offered" });

    // And Jo's place in the learning set is offered to the next person waiting, as a taster's is.
    expect(await world.prisma.learningSetPlace.findFirstOrThrow({ where: { setId: set.id, personId: others[0]!.id } })).toMatchObject({ status: "offered" });

    // Totals stay right: the scores Jo gave still count, with no link to Jo.
    const totalsAfter = await buildDigest(world.prisma, world.ctx.settings, programme.id, new Date("2026-03-02T00:00:00Z"));
    expect(totalsAfter.prompts.map((p) => p.scales)).toEqual(totalsBefore.prompts.map((p) => p.scales));

    // Copies already posted are updated on the platform: the idea in the channel, the digest the facilitator got.
    await world.core.flush();
    const channelUpdate = world.messenger.updated.filter((u) => u.ref.id === ideaPost.ref.id).at(-1);
    expect(plainText(channelUpdate!.message)).toContain(peopleCatalogue.forgetText.removedWords);
    expect(plainText(channelUpdate!.message)).not.toContain(IDEA_OWNED);
    const [sentDigest, queuedDigest] = ["sent", "pending"].map((status) => digestRows.find((r) => r.status === status)!);
    const digestUpdate = world.messenger.updated.filter((u) => u.ref.id === (sentDigest!.resultRef as { id: string }).id).at(-1);
    expect(plainText(digestUpdate!.message)).not.toContain(NAMED_WELL);
    expect(plainText(digestUpdate!.message)).toContain(peopleCatalogue.forgetText.removedWords);
    // The queued digest for the evaluator goes out without Jo's words.
    world.clock.set("2026-03-09T09:00:00Z");
    await world.core.flush();
    const nowSent = await world.prisma.outboxMessage.findUniqueOrThrow({ where: { id: queuedDigest!.id } });
    expect(nowSent.status).toBe("sent");
    const evaluatorGot = world.messenger.sent.find((s) => s.ref.id === (nowSent.resultRef as { id: string }).id)!;
    expect(plainText(evaluatorGot.message)).not.toContain(NAMED_WELL);
    expect(plainText(evaluatorGot.message)).toContain("Someone else's answer number 1");
    expect(hits(await dump(world), traces)).toEqual([]);
  }, 120_000); // every loop seeded and every column of every table scanned: slow on a loaded machine
});
