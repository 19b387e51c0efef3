import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { World, type TestPerson } from "../support/world.ts";
import { CAPABILITIES, roleCan, ROLES, type Role } from "../../src/roles.ts";
import type { ActionDef } from "../../src/registry.ts";
import { createCore, defaultFeatures } from "../../src/core.ts";
import { defineAction } from "../../src/registry.ts";
import type { Feature } from "../../src/interactions.ts";
import { z } from "zod";
import type { CoreContext } from "../../src/context.ts";
import type { PersonRef, Reply } from "../../src/interactions.ts";
import { ensureIdentity, inviteFor, recordConsent } from "../../src/people/index.ts";
import { postUpdate, suggest, createCoOwnedAction } from "../../src/feedback/index.ts";
import { createTaster } from "../../src/tasters/index.ts";
import { createLearningSet, createPanel } from "../../src/panels/index.ts";
import { createSeriesFromTemplate } from "../../src/prompts/index.ts";

/**
 * The permission matrix, generated from the actions' declarations: every
 * declared action × every role, a member who has not agreed to take part,
 * someone in no programme and a facilitator of another programme. What the
 * capability table says is refused is refused and changes no row in any
 * table; what it allows gets past the registry. An action without an example
 * call here fails the test, so a new action cannot slip past the matrix.
 */

/**
 * Members who have not said yes to the programme's current consent words, one
 * for each way of not having said it (all experts by experience): never
 * answered, said no, said yes then withdrew, said yes to older words.
 */
const CONSENT_STATES = ["no_consent", "refused", "withdrawn", "outdated"] as const;
type ConsentState = (typeof CONSENT_STATES)[number];
type Actor = Role | ConsentState | "non_member" | "other_programme";
const ACTORS: Actor[] = [...ROLES, ...CONSENT_STATES, "non_member", "other_programme"];
const notAgreed = (who: Actor): who is ConsentState => (CONSENT_STATES as readonly Actor[]).includes(who);
const roleOf = (who: Role | ConsentState): Role => (notAgreed(who) ? "expert_by_experience" : who);
const REFUSALS = ["not_allowed", "not_a_member", "no_consent"];

type Fixture = Awaited<ReturnType<typeof arrange>>;
type Example = (fx: Fixture, who: Actor) => { args?: Record<string, string>; people?: Record<string, PersonRef[]> };

let world: World;

async function arrange() {
  const programme = await world.programme();
  const people = {} as Record<Actor, TestPerson>;
  people.facilitator = programme.facilitator;
  for (const role of ROLES) if (role !== "facilitator") people[role] = await world.person(programme, `A ${role}`, role);
  people.no_consent = await world.person(programme, "Not agreed", "expert_by_experience", { consent: false });
  people.refused = await world.person(programme, "Said no", "expert_by_experience", { consent: false });
  people.withdrawn = await world.person(programme, "Withdrew", "expert_by_experience");
  people.outdated = await world.person(programme, "Older words", "expert_by_experience");
  // The words change to version 2: everyone answers again but the one who said yes to version 1 only.
  world.clock.advanceMinutes(1);
  await world.prisma.programme.update({ where: { id: programme.id }, data: { consentVersion: 2, consentAskedVersion: 2 } });
  for (const who of [...ROLES, "refused", "withdrawn"] as const) {
    const person = who === "facilitator" ? programme.facilitator : people[who];
    await recordConsent(world.ctx, { personId: person.id, programmeId: programme.id, participation: who !== "refused" && who !== "withdrawn", quotation: true });
  }
  const other = await world.programme("Another programme");
  people.other_programme = other.facilitator;
  const { person: stranger } = await ensureIdentity(world.prisma, world.clock.now(), "local", { externalId: "U-stranger", displayName: "Stranger" });
  people.non_member = { id: stranger.id, externalId: "U-stranger" } as TestPerson;
  const members = [...ROLES, ...CONSENT_STATES] as const;
  const expert = people.expert_by_experience;
  const ctx = world.ctx;
  const fac = programme.facilitator.id;

  // Each member raised an idea of their own, and one "we did" answers them all.
  const items = {} as Record<Actor, string>;
  for (const who of members) {
    const role = roleOf(who);
    items[who] = (await suggest(ctx, { personId: people[who].id, programmeId: programme.id, role, text: `An idea from ${who}` })).id;
  }
  const item = { id: items.expert_by_experience };
  const update = await postUpdate(ctx, people.commissioner.id, { programmeId: programme.id, authorRole: "commissioner", text: "We moved two sessions to the evening", itemNumbers: members.map((_, i) => i + 1) });
  // Everyone co-owns one action; the other is only the commissioner's and one expert's.
  const action = await createCoOwnedAction(ctx, people.commissioner.id, { programmeId: programme.id, title: "Write the leaflet", ownerIds: members.map((who) => people[who].id) });
  const commissionersAction = await createCoOwnedAction(ctx, people.commissioner.id, { programmeId: programme.id, title: "Book the room", ownerIds: [people.commissioner.id, people.no_consent.id] });

  const taster = await createTaster(ctx, fac, {
    programmeId: programme.id,
    title: "Drawing together",
    whatToExpect: "We will sit in a circle and try some drawing. Nobody has to share their work.",
    audienceRoles: [],
    startsAt: new Date("2026-03-10T14:00:00Z"),
    endsAt: new Date("2026-03-10T16:00:00Z"),
    location: "The Hub",
    capacity: 20,
    offerHoldHours: 24,
  });
  const signups = {} as Record<Actor, string>;
  for (const who of members) {
    const row = await world.prisma.tasterSignup.create({
      data: { tasterId: taster.id, personId: people[who].id, role: roleOf(who), status: "offered", queuedAt: world.clock.now(), offeredAt: world.clock.now(), offerExpiresAt: new Date("2026-03-05T00:00:00Z") },
    });
    signups[who] = row.id;
  }

  const panel = await createPanel(ctx, fac, {
    programmeId: programme.id,
    title: "Interview panel",
    purpose: "Interview the providers together.",
    startsAt: new Date("2026-03-02T10:00:00Z"),
    endsAt: new Date("2026-03-02T11:00:00Z"),
    members: members.map((who) => ({ personId: people[who].id })),
  });

  const learningSet = await createLearningSet(ctx, fac, { programmeId: programme.id, name: "Peer learning set", first: "2026-03-20 10:00", howOften: "every 3 months", capacity: 50, audienceRoles: [] });

  const series = await createSeriesFromTemplate(ctx, fac, programme.id, "gold_standard", { cron: "0 10 * * 1", timeZone: "Europe/London" });
  const occurrence = await world.prisma.promptOccurrence.create({ data: { seriesId: series.id, scheduledFor: world.clock.now(), closesAt: new Date("2026-03-09T09:00:00Z") } });
  const deliveries = {} as Record<Actor, string>;
  for (const who of members) {
    const row = await world.prisma.promptDelivery.create({
      data: { occurrenceId: occurrence.id, personId: people[who].id, role: roleOf(who), status: "sent", notBefore: world.clock.now(), sentAt: world.clock.now() },
    });
    deliveries[who] = row.id;
  }
  const response = await world.prisma.promptResponse.create({
    data: { occurrenceId: occurrence.id, questionId: "q1", personId: expert.id, role: "expert_by_experience", responseKey: `k-matrix-${occurrence.id}`, text: "More evening sessions please", answeredAt: world.clock.now(), updatedAt: world.clock.now() },
  });

  const checkData = { programmeId: programme.id, title: "Meeting times", summary: "Evenings suit carers better.", createdAt: world.clock.now() };
  const memberCheck = await world.prisma.memberCheck.create({ data: { ...checkData, sentAt: world.clock.now() } });
  const draftCheck = await world.prisma.memberCheck.create({ data: checkData });

  await world.core.flush();
  // After the panel, before the taster. Everyone was last seen now, so a refused call has nothing to touch.
  world.clock.set("2026-03-02T12:00:00Z");
  await world.prisma.platformIdentity.updateMany({ data: { lastSeenAt: world.clock.now() } });
  const own = (map: Record<Actor, string>, who: Actor) => map[who] ?? map.expert_by_experience;
  const draft = await world.prisma.promptDraft.create({
    data: {
      programmeId: programme.id,
      createdById: fac,
      title: "Our own questions",
      questions: [{ kind: "text", text: "What went well?", help: "", required: true }],
      schedule: { kind: "weekly", weekday: 1, everyOther: false, hour: 10, minute: 0 },
      audienceRoles: ["expert_by_experience"],
    },
  });
  return { programme, people, item, items, update, action, commissionersAction, taster, signups, panel, learningSet, series, occurrence, deliveries, response, own, memberCheck, draftCheck, draft };
}

const P = (fx: Fixture) => ({ programmeId: fx.programme.id });

/** One valid call per action, as the person `who` would make it. */
const EXAMPLES: Record<string, Example> = {
  "programme.setup": () => ({ args: { name: "A new programme" } }),
  // As pressed on the role choice wesaid gave them after they typed join in the channel.
  "people.join": (fx, who) => ({ args: { ...P(fx), role: "expert_by_experience", invite: inviteFor(world.ctx, fx.programme.id, fx.people[who].id) } }),
  "people.assign_role": (fx) => ({ args: { ...P(fx), role: "professional" }, people: { user: [{ externalId: "U-newcomer", displayName: "Newcomer" }] } }),
  "people.consent": (fx) => ({ args: { ...P(fx), participation: "yes", quotation: "no", policyVersion: "2" } }),
  "people.consent.ask": (fx) => ({ args: P(fx) }),
  "people.withdraw": (fx) => ({ args: P(fx) }),
  "programme.consent_words": (fx) => ({ args: { ...P(fx), text: "New words about what we keep.", confirm: "yes" } }),
  "people.leave": (fx) => ({ args: P(fx) }),
  "people.leave.cancel": () => ({}),
  "people.leave.confirm": (fx) => ({ args: P(fx) }),
  "people.prefs": (fx) => ({ args: P(fx) }),
  "people.prefs.save": (fx) => ({ args: { ...P(fx), timeZone: "Europe/Paris" } }),
  "people.prefs.zone.follow": (fx) => ({ args: P(fx) }),
  "people.pause": () => ({}),
  "people.resume": () => ({}),
  "people.my_data": () => ({}),
  "people.forget": () => ({}),
  "people.forget.cancel": () => ({}),
  "people.forget.confirm": () => ({}),
  "people.catch_up": (fx) => ({ args: P(fx) }),
  "people.my_time": () => ({}),
  "people.my_contribution": (fx) => ({ args: P(fx) }),
  "people.rate": (fx) => ({ args: { ...P(fx), role: "professional", amount: "£10", per: "hour" } }),
  "people.rates": (fx) => ({ args: P(fx) }),
  "people.contribution_totals": (fx) => ({ args: P(fx) }),
  "feedback.suggest": (fx) => ({ args: { ...P(fx), text: "A quiet room before meetings" } }),
  "feedback.from_answer": (fx) => ({ args: { responseId: fx.response.id } }),
  "feedback.assign": (fx) => ({ args: { itemId: fx.item.id, dueInDays: "14" } }),
  "feedback.status": (fx) => ({ args: { itemId: fx.item.id, status: "considering" } }),
  "feedback.show": (fx) => ({ args: { itemId: fx.item.id } }),
  "feedback.list": (fx) => ({ args: P(fx) }),
  "feedback.post_update": (fx) => ({ args: { ...P(fx), text: "We booked the room", itemNumbers: "#1" } }),
  "feedback.react": (fx, who) => ({ args: { updateId: fx.update.updateId, itemId: fx.own(fx.items, who), answered: "yes" } }),
  "feedback.react.again": (fx, who) => ({ args: { updateId: fx.update.updateId, itemId: fx.own(fx.items, who) } }),
  "feedback.follow": (fx) => ({ args: { itemId: fx.item.id } }),
  "feedback.unfollow": (fx) => ({ args: { itemId: fx.item.id } }),
  "feedback.coown": (fx) => ({ args: { ...P(fx), title: "Tidy the waiting room" }, people: { owners: [{ externalId: fx.people.expert_by_experience.externalId }] } }),
  "feedback.coown.status": (fx) => ({ args: { actionId: fx.action.actionId, status: "done" } }),
  "prompt.answer": (fx, who) => ({ args: { deliveryId: fx.own(fx.deliveries, who) } }),
  "prompt.open": (fx, who) => ({ args: { deliveryId: fx.own(fx.deliveries, who) } }),
  "prompt.change": (fx, who) => ({ args: { deliveryId: fx.own(fx.deliveries, who) } }),
  "prompt.decline": (fx, who) => ({ args: { deliveryId: fx.own(fx.deliveries, who) } }),
  "prompt.pause": () => ({}),
  "prompt.series.stop": (fx) => ({ args: { seriesId: fx.series.id } }),
  "prompt.series.restart": (fx) => ({ args: { seriesId: fx.series.id } }),
  "prompts.menu": (fx) => ({ args: P(fx) }),
  "prompts.draft.new": (fx) => ({ args: { ...P(fx), templateKey: "panel_debrief" } }),
  "prompts.draft.view": (fx) => ({ args: { draftId: fx.draft.id } }),
  "prompts.draft.add": (fx) => ({ args: { draftId: fx.draft.id, kind: "single", text: "Did it suit you?", choices: "Yes\nNo", required: "yes" } }),
  // The fixture's draft question was stored without a key: it is read as "n1" (its place), as older drafts are.
  "prompts.draft.remove": (fx) => ({ args: { draftId: fx.draft.id, question: "n1" } }),
  "prompts.draft.change": (fx) => ({ args: { draftId: fx.draft.id, question: "n1" } }),
  "prompts.draft.replace": (fx) => ({ args: { draftId: fx.draft.id, question: "n1", kind: "text", text: "What went well for you?", required: "yes" } }),
  "prompts.draft.move": (fx) => ({ args: { draftId: fx.draft.id, question: "n1", to: "1" } }),
  "prompts.draft.schedule": (fx) => ({ args: { draftId: fx.draft.id, when: "every other Monday at 10:30" } }),
  "prompts.draft.details": (fx) => ({ args: { draftId: fx.draft.id, title: "Our questions", audienceRoles: "expert_by_experience", anonymous: "no" } }),
  "prompts.draft.preview": (fx) => ({ args: { draftId: fx.draft.id } }),
  "prompts.draft.try": (fx) => ({ args: { draftId: fx.draft.id, q_preview0: "It went well" } }),
  "prompts.draft.publish": (fx) => ({ args: { draftId: fx.draft.id } }),
  "prompts.draft.discard": (fx) => ({ args: { draftId: fx.draft.id } }),
  "prompts.template": (fx) => ({ args: { ...P(fx), templateKey: "gold_standard" } }),
  "prompts.start": (fx) => ({ args: { ...P(fx), templateKey: "ndti_survey" } }),
  "prompts.series.pause": (fx) => ({ args: { seriesId: fx.series.id } }),
  "prompts.series.stage": (fx) => ({ args: { seriesId: fx.series.id, stage: "baseline" } }),
  "prompts.series.resume": (fx) => ({ args: { seriesId: fx.series.id } }),
  "prompt.answers": (fx) => ({ args: { seriesId: fx.series.id } }),
  "digest.show": (fx) => ({ args: P(fx) }),
  "evidence.export": (fx) => ({ args: { ...P(fx), what: "answers", format: "csv" } }),
  "evidence.token.create": (fx) => ({ args: P(fx) }),
  "evidence.token.revoke": (fx) => ({ args: P(fx) }),
  "coding.book": (fx) => ({ args: P(fx) }),
  "coding.add": (fx, who) => ({ args: { ...P(fx), label: `Own code from ${who}` } }),
  "coding.rename": (fx) => ({ args: { ...P(fx), code: "nothing like this", label: "A new name" } }),
  "coding.retire": (fx) => ({ args: { ...P(fx), code: "ladder:informing" } }),
  "coding.pick": (fx) => ({ args: { kind: "answer", id: fx.response.id } }),
  "coding.set": (fx) => ({ args: { kind: "idea", id: fx.item.id, codes: "" } }),
  "coding.import.open": (fx) => ({ args: P(fx) }),
  "coding.import": (fx) => ({ args: { ...P(fx), csv: `kind,id,code\nidea,${fx.item.id},ladder:informing` } }),
  "retention.show": (fx) => ({ args: P(fx) }),
  "retention.set": (fx) => ({ args: { ...P(fx), months: "36" } }),
  "taster.list": () => ({}),
  "taster.new": (fx) => ({ args: P(fx) }),
  "taster.create": (fx) => ({
    args: { ...P(fx), title: "Singing", whatToExpect: "We sing together. Nobody has to sing alone.", startsAt: "2026-03-12T14:00:00Z", endsAt: "2026-03-12T15:00:00Z", location: "The Hub", capacity: "10" },
  }),
  "taster.signup": (fx) => ({ args: { tasterId: fx.taster.id } }),
  "taster.cancel": (fx) => ({ args: { tasterId: fx.taster.id } }),
  "taster.cancel_session.ask": (fx) => ({ args: { tasterId: fx.taster.id } }),
  "taster.cancel_session": (fx) => ({ args: { tasterId: fx.taster.id, reason: "The room flooded" } }),
  "taster.accept": (fx, who) => ({ args: { signupId: fx.own(fx.signups, who) } }),
  "taster.decline": (fx, who) => ({ args: { signupId: fx.own(fx.signups, who) } }),
  "taster.followup": (fx, who) => ({ args: { signupId: fx.own(fx.signups, who), expectationsMet: "yes", wouldTakePart: "yes" } }),
  "taster.attendance": (fx) => ({ args: { signupId: fx.signups.expert_by_experience, attended: "yes" } }),
  "taster.attendance.pick": () => ({}),
  "taster.attendance.list": (fx) => ({ args: { tasterId: fx.taster.id } }),
  "taster.attendance.save": (fx) => ({ args: { tasterId: fx.taster.id, attended: fx.signups.expert_by_experience } }),
  "panel.list": () => ({}),
  "panel.new": (fx) => ({ args: P(fx) }),
  "panel.create": (fx) => ({
    args: { ...P(fx), title: "Second panel", purpose: "Choose the provider.", startsAt: "2026-03-11T10:00:00Z", endsAt: "2026-03-11T12:00:00Z" },
    people: { members: [{ externalId: fx.people.expert_by_experience.externalId }] },
  }),
  "panel.debrief.form": (fx) => ({ args: { panelId: fx.panel.id } }),
  "panel.debrief": (fx) => ({ args: { panelId: fx.panel.id, wentWell: "Everyone listened", couldImprove: "Shorter", listenedTo: "yes", changeNextTime: "Start later" } }),
  "panel.summary": (fx) => ({ args: { panelId: fx.panel.id } }),
  "learningset.list": (fx) => ({ args: P(fx) }),
  "learningset.new": (fx) => ({ args: P(fx) }),
  "learningset.create": (fx) => ({ args: { ...P(fx), name: "Second set", first: "2026-04-01 10:00", howOften: "every 3 months", capacity: "8" } }),
  "learningset.join": (fx) => ({ args: { setId: fx.learningSet.id } }),
  "learningset.leave": (fx) => ({ args: { setId: fx.learningSet.id } }),
  "learningset.accept": (fx) => ({ args: { setId: fx.learningSet.id } }),
  "learningset.decline": (fx) => ({ args: { setId: fx.learningSet.id } }),
  "learningset.end": (fx) => ({ args: { setId: fx.learningSet.id } }),
  "learningset.change": (fx) => ({ args: { setId: fx.learningSet.id } }),
  "learningset.save": (fx) => ({ args: { setId: fx.learningSet.id, name: "Renamed set", coming: "2026-05-01 10:00", hours: "2", capacity: "8" } }),
  "membercheck.new": (fx) => ({ args: P(fx) }),
  "membercheck.create": (fx) => ({ args: { ...P(fx), title: "Meeting times", summary: "Evenings suit carers better." } }),
  "membercheck.send": (fx) => ({ args: { checkId: fx.draftCheck.id } }),
  "membercheck.answer": (fx) => ({ args: { checkId: fx.memberCheck.id, verdict: "partly", comment: "Evenings are hard for me" } }),
  "membercheck.report": (fx) => ({ args: { checkId: fx.memberCheck.id } }),
  "home.view": () => ({}),
  "glossary.explain": () => ({ args: { word: "outputs" } }),
  "glossary.list": () => ({}),
  "people.roles": (fx) => ({ args: P(fx) }),
  "people.quiet": (fx) => ({ args: { ...P(fx), weeks: "4" } }),
  "people.support": () => ({}),
  "prompts.series.hard_topic": (fx) => ({ args: { seriesId: fx.series.id, hard: "yes" } }),
  "programme.support_words": (fx) => ({ args: { ...P(fx), text: "Call Sam on 01234 567890" } }),
  "induction.stop": (fx) => ({ args: P(fx) }),
  "induction.setting": (fx) => ({ args: { ...P(fx), on: "off" } }),
};

/** Someone allowed by their role acting on an object that is not theirs, for actions with an object rule. */
const NOT_THEIRS: Record<string, (fx: Fixture) => { who: Actor; args: Record<string, string> }> = {
  "feedback.react": (fx) => ({ who: "commissioner", args: { updateId: fx.update.updateId, itemId: fx.items.expert_by_experience, answered: "no" } }),
  "feedback.react.again": (fx) => ({ who: "commissioner", args: { updateId: fx.update.updateId, itemId: fx.items.expert_by_experience } }),
  "feedback.coown.status": (fx) => ({ who: "expert_by_experience", args: { actionId: fx.commissionersAction.actionId, status: "dropped" } }),
};

/** Actions about no programme in particular: they act wherever the caller may (a facilitator elsewhere, in their own programme). */
const WHEREVER_THEY_MAY = new Set(["taster.attendance.pick"]);

/**
 * Let through by the registry, then answered with an explanation rather than
 * a page: "home" for someone in no programme says how to join.
 */
const ANSWERED_WITH_AN_EXPLANATION: Record<string, { who: Actor; code: string }> = { "home.view": { who: "non_member", code: "not_a_member" } };

/** What the declarations and the capability table say should happen. */
function expected(def: ActionDef, who: Actor): "allowed" | "refused" {
  if (notAgreed(who) && def.storesWhatTheySay) return "refused";
  if (def.access === "anyone") return "allowed";
  if (who === "non_member") return "refused";
  if (who === "other_programme") return WHEREVER_THEY_MAY.has(def.action) && roleCan("facilitator", def.access as never) ? "allowed" : "refused";
  const role: Role = roleOf(who);
  if (def.access !== "member" && !roleCan(role, def.access)) return "refused";
  return "allowed";
}

/**
 * What people say or choose that needs their consent, as columns: answers,
 * ideas raised, replies to "we did", sign-ups and taster follow-ups, debriefs,
 * being named on a shared action. (Cancelling, declining, the organisers'
 * records and consent itself are not in it: they must work without a yes.)
 */
const PARTICIPANT_CONTENT = [
  `SELECT id, text, number, choices FROM "PromptResponse"`,
  `SELECT id, "raisedById", text FROM "FeedbackItem"`,
  `SELECT id, answered, comment FROM "FeedbackReaction"`,
  `SELECT id, "personId", "expectationsMet", "wouldTakePart", "followUpComment" FROM "TasterSignup"`,
  `SELECT id, "wentWell", "couldImprove", "listenedTo", "changeNextTime" FROM "DebriefResponse"`,
  `SELECT "actionId", "personId" FROM "CoOwner"`,
  `SELECT id, verdict, comment FROM "MemberCheckResponse"`,
];

/** Actions that change participant content without the actor's consent check, and why that is right. */
const CONTENT_WITHOUT_THE_ACTORS_CONSENT: Record<string, string> = {
  "feedback.from_answer": "an organiser makes someone's answer an idea: the writer's consent is checked (test/core/people/consent-everywhere.test.ts)",
  "people.forget.confirm": "erasing takes words away; it stores nothing",
};

async function participantContent(): Promise<string> {
  const sql = `SELECT ${PARTICIPANT_CONTENT.map((q, i) => `(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM (${q}) x) AS c${i}`).join(", ")}`;
  const [row] = await world.prisma.$queryRawUnsafe<Record<string, string>[]>(sql);
  return Object.values(row!).join(":");
}

/**
 * A fingerprint of every row of every table, in one statement. Left out: the
 * inbox's bookkeeping ("this interaction was handled", src/db/event-claims.ts,
 * and the inbox row while it is worked), which a refusal writes too.
 */
let fingerprintSql: string | undefined;
async function fingerprint(): Promise<Record<string, string>> {
  if (!fingerprintSql) {
    const tables = await world.prisma.$queryRawUnsafe<{ t: string }[]>(
      "SELECT tablename::text AS t FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('ProcessedEvent', 'InboxItem') ORDER BY 1",
    );
    fingerprintSql = `SELECT ${tables.map(({ t }) => `(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM "${t}" x) AS "${t}"`).join(", ")}`;
  }
  const [row] = await world.prisma.$queryRawUnsafe<Record<string, string>[]>(fingerprintSql);
  return row!;
}

async function call(person: TestPerson, action: string, example: ReturnType<Example>): Promise<Reply> {
  return world.core.handle({ platform: "local", user: { externalId: person.externalId }, place: { kind: "direct" }, input: { kind: "action", action, args: example.args ?? {}, people: example.people ?? {} } });
}

beforeAll(async () => {
  world = await World.open();
});

let built: Fixture | undefined;
/** The fingerprint of the fixture's rows, taken once: every `fixture()` puts exactly those rows back. */
let pristine: Record<string, string>;
/** The fixture as `arrange()` leaves it: built once, then put back from a snapshot of its rows for each test. */
async function fixture(): Promise<Fixture> {
  if (built) {
    await world.restore();
    return built;
  }
  await world.reset();
  built = await arrange();
  await world.snapshot();
  pristine = await fingerprint();
  return built;
}
afterAll(() => world.close());

// The declarations are read from a core that is never run, so each action can be a test of its own.
const DECLARED: ActionDef[] = createCore({} as CoreContext).declarations;
const declarations = () => DECLARED;

describe("the permission matrix", () => {
  const withoutExample = (defs: ActionDef[]) => defs.map((d) => d.action).filter((a) => !EXAMPLES[a]);

  it("has an example call for every declared action, and only for declared ones", () => {
    const declared = declarations().map((d) => d.action).sort();
    expect(withoutExample(declarations()), "add an example call here for each new action").toEqual([]);
    expect(Object.keys(EXAMPLES).filter((a) => !declared.includes(a))).toEqual([]);
  });

  it("would fail for an action added without an example (the check itself works)", () => {
    const extra: Feature = { name: "extra", commands: [], actions: [defineAction({ action: "extra.thing", access: "member", args: z.object({}), run: async () => ({}) })] };
    expect(withoutExample(createCore({} as CoreContext, [...defaultFeatures(), extra]).declarations)).toEqual(["extra.thing"]);
  });

  it("names only capabilities the table knows", () => {
    for (const def of declarations()) expect(def.access === "anyone" || def.access === "member" || def.access in CAPABILITIES, def.action).toBe(true);
  });

  // One test per action: what the capability table refuses is refused and changes nothing; what it allows gets through.
  it.each(DECLARED.map((d) => [d.action, d] as const))("%s", async (_action, def) => {
    const example = EXAMPLES[def.action];
    expect(example, `no example call for ${def.action}`).toBeDefined();
    const fx = await fixture();
    const failures: string[] = [];
    // Refusals first: each must leave every table as it was. So the rows before a refusal are the fixture's, or
    // those seen after the refusal before it: one fingerprint per refusal, not two.
    const order = [...ACTORS].sort((a, b) => Number(expected(def, a) === "allowed") - Number(expected(def, b) === "allowed"));
    let before = pristine;
    for (const who of order) {
      const want = expected(def, who);
      const contentBefore = want === "allowed" ? await participantContent() : undefined;
      const reply = await call(fx.people[who], def.action, example!(fx, who));
      const code = reply.error?.code;
      if (want === "refused") {
        if (!code || !(REFUSALS.includes(code) || code === "not_found")) failures.push(`${who}: expected a refusal, got ${code ?? "success"}`);
        const after = await fingerprint();
        const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
        if (changed.length) failures.push(`${who}: refused but changed ${changed.join(", ")}`);
        before = after;
      } else {
        const explained = ANSWERED_WITH_AN_EXPLANATION[def.action];
        if (explained && explained.who === who && explained.code === code) continue;
        if (code && REFUSALS.includes(code)) failures.push(`${who}: expected to be let through, got ${code}`);
      }
      if (want === "allowed" && contentBefore !== (await participantContent()) && !def.storesWhatTheySay && !CONTENT_WITHOUT_THE_ACTORS_CONSENT[def.action]) {
        failures.push(`${who}: stored what a person says without declaring storesWhatTheySay`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("would notice an action that stores what a person says without declaring it (the check itself works)", async () => {
    const fx = await fixture();
    const sneaky: Feature = {
      name: "sneaky",
      commands: [],
      actions: [
        defineAction({
          action: "sneaky.note",
          access: "member",
          args: z.object({ programmeId: z.string() }),
          run: async (ctx, { actor, membership }) => (await suggest(ctx, { personId: actor.person.id, programmeId: membership.programmeId, role: membership.role, text: "Stored without asking" }), {}),
        }),
      ],
    };
    const core = createCore(world.ctx, [...defaultFeatures(), sneaky]);
    const before = await participantContent();
    const reply = await core.handle({ platform: "local", user: { externalId: fx.people.no_consent.externalId }, place: { kind: "direct" }, input: { kind: "action", action: "sneaky.note", args: P(fx), people: {} } });
    expect(reply.error).toBeUndefined();
    expect(await participantContent()).not.toBe(before);
  });

  it("covers a real spread of refusals: every role but the organisers is refused something, outsiders all but the open actions", () => {
    const refusedFor = (who: Actor) => DECLARED.filter((d) => expected(d, who) === "refused").length;
    for (const role of ROLES.filter((r) => r !== "admin" && r !== "facilitator")) expect(refusedFor(role), role).toBeGreaterThan(0);
    expect(refusedFor("non_member")).toBe(DECLARED.filter((d) => d.access !== "anyone").length);
    for (const state of CONSENT_STATES) expect(refusedFor(state), state).toBeGreaterThanOrEqual(DECLARED.filter((d) => d.storesWhatTheySay).length);
    // Every kind of thing a person can store asks for consent first.
    const storing = DECLARED.filter((d) => d.storesWhatTheySay).map((d) => d.action).sort();
    expect(storing).toEqual(expect.arrayContaining(["feedback.coown", "feedback.react", "feedback.suggest", "membercheck.answer", "panel.debrief", "prompt.answer", "taster.accept", "taster.followup", "taster.signup"]));
    expect(DECLARED.length).toBeGreaterThan(50);
  });

  it("refuses someone whose role allows an action but who does not own the object, and changes nothing", async () => {
    const ruled = declarations().filter((d) => d.objectRule);
    expect(ruled.map((d) => d.action).sort()).toEqual(Object.keys(NOT_THEIRS).sort());
    for (const def of ruled) {
      const fx = await fixture();
      const { who, args } = NOT_THEIRS[def.action]!(fx);
      expect(expected(def, who), `${def.action} by ${who} is allowed by role`).toBe("allowed");
      const before = await fingerprint();
      const reply = await call(fx.people[who], def.action, { args });
      expect(reply.error?.code, def.action).toBe("not_allowed");
      expect(await fingerprint()).toEqual(before);
    }
  });
});

/**
 * A button's or form's ids are not trusted for what they name. The attacker is
 * a facilitator (every capability) or an expert by experience (their own
 * prompts, sign-ups and ideas) of a programme of their own, with every kind of
 * object in it. Each declared action is called with that programme's ids but
 * one id (a programme, idea, update, action, delivery, sign-up, taster, panel,
 * series or answer) taken from another programme they are not in, and with all
 * of its ids from there: every such call is refused and changes no row.
 */
describe("ids from a programme the actor is not in", () => {
  const ID_KEY = /Id$|^attended$/;

  it("every action, given one or all of its ids from another programme, is refused and changes nothing", async () => {
    await world.reset();
    const victim = await arrange();
    world.clock.set("2026-03-02T09:00:00Z");
    const own = await arrange();
    const failures: string[] = [];
    let tried = 0;
    // Every call must change nothing, so the rows before one are those seen after the one before it.
    let before = await fingerprint();
    for (const def of DECLARED) {
      for (const who of ["facilitator", "expert_by_experience"] as const) {
        const mine = EXAMPLES[def.action]!(own, who);
        const theirs = EXAMPLES[def.action]!(victim, who);
        const ids = Object.keys(theirs.args ?? {}).filter((k) => ID_KEY.test(k) && theirs.args![k] !== mine.args?.[k]);
        if (ids.length === 0) continue;
        const calls = [...ids.map((k) => ({ label: k, args: { ...mine.args, [k]: theirs.args![k]! } })), ...(ids.length > 1 ? [{ label: "all", args: theirs.args! }] : [])];
        for (const { label, args } of calls) {
          tried++;
          const reply = await call(own.people[who], def.action, { args, people: mine.people });
          let code = reply.error?.code;
          if (code === "closed") {
            // Too early (attendance before the session): try again once the sessions are over, so the id itself is checked.
            world.clock.set("2026-03-11T09:00:00Z");
            code = (await call(own.people[who], def.action, { args, people: mine.people })).error?.code;
            world.clock.set("2026-03-02T12:00:00Z");
          }
          // invalid_input: the id is not among those the object holds (a sign-up of another session, say).
          if (!code || !(REFUSALS.includes(code) || code === "not_found" || code === "invalid_input")) failures.push(`${def.action} by ${who} with ${label} of another programme: got ${code ?? "success"}`);
          const after = await fingerprint();
          const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
          if (changed.length) failures.push(`${def.action} by ${who} with ${label} of another programme: changed ${changed.join(", ")}`);
          before = after;
        }
      }
    }
    expect(failures).toEqual([]);
    // Most actions name something by id: the walk must actually have walked.
    expect(tried).toBeGreaterThan(60);
  }, 180_000); // one walk of a few hundred calls: under a shared machine's load it outlasts the 30 s default
});
