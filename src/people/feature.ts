import { z } from "zod";
import { WesaidError } from "../errors.ts";
import { textWithoutMentions, type Actor, type Feature } from "../interactions.ts";
import { defineAction } from "../registry.ts";
import { ROLE_LABELS, ROLES, rolesWith, SELF_CHOSEN_ROLES } from "../roles.ts";
import { text } from "../validation.ts";
import { enrol, personMentioned } from "./identities.ts";
import { accessText } from "../messages/catalogue/access.ts";
import { anyProgramme, assignRole, joinProgramme, leaveProgramme, setupProgramme } from "./membership.ts";
import { inviteFor, isInvited } from "./invitations.ts";
import { askForConsentAgain, changeConsentWords, consentWords, recordConsent } from "./consent.ts";
import { consentState } from "../access.ts";
import { followPlatformZone, PREFERENCE_LABELS, preferencesInput, setPaused, updatePreferences } from "./preferences.ts";
import { zoneSource } from "./zones.ts";
import { contributionSummary } from "./recognition.ts";
import { recognitionWiring } from "./recognition-actions.ts";
import { erasePerson } from "./erasure.ts";
import { reportUnreachable } from "./unreachable.ts";
import { maySelfChoose, maySetUpProgramme } from "./rules.ts";
import { programmeRoster } from "./roster.ts";
import { setSupportText, supportForPerson, supportTextOf } from "./support.ts";
import { QUIET_WEEKS, quietMembers } from "./quiet.ts";
import { timeZoneOf } from "./preferences.ts";
import { formatDate } from "../time.ts";
import { catchUpView, consentQuestionView, myDataView, preferencesView, privately } from "./views.ts";
import * as say from "./catalogue.ts";

/** The people loop's chat wiring: joining, roles, consent, preferences, pause, my data, forget me. */

const noArgs = z.object({});
const inProgramme = z.object({ programmeId: z.string().min(1).optional() });

/** Someone wesaid has not met has nothing to pause: they are told how to join instead. */
function known(actor: Actor): Actor {
  if (actor.newcomer) throw new WesaidError("not_a_member", accessText.notAMemberYet);
  return actor;
}

const setup = defineAction({
  action: "programme.setup",
  access: "anyone",
  args: z.object({ name: text(120), description: z.string().max(2000).optional() }),
  labels: { name: "Programme name" },
  async run(ctx, { actor, args }) {
    if (actor.place.kind !== "channel") throw new WesaidError("invalid_input", say.joinText.setupInChannel);
    if (!maySetUpProgramme({ programmesExist: await anyProgramme(ctx.db), rolesHeld: actor.memberships.map((m) => m.role) })) {
      throw new WesaidError("not_allowed", say.joinText.setupNotAllowed(rolesWith("programme.setup").map((r) => ROLE_LABELS[r])));
    }
    const facilitator = await enrol(ctx.db, ctx.clock.now(), actor);
    const programme = await setupProgramme(ctx, {
      name: args.name,
      description: args.description,
      facilitatorId: facilitator.id,
      channel: { platform: actor.platform, externalId: actor.place.externalId, name: actor.place.name, address: actor.place.address },
    });
    return privately(say.joinText.programmeCreated(programme.name));
  },
});

const join = defineAction({
  action: "people.join",
  access: "anyone",
  args: z.object({ programmeId: z.string().min(1).optional(), role: z.enum(ROLES).optional(), invite: z.string().max(100).optional() }),
  labels: { role: "Role" },
  async run(ctx, { actor, args }) {
    const programmeId = args.programmeId ?? actor.channelProgrammeId;
    if (!programmeId) throw new WesaidError("not_found", say.joinText.channelNotLinked);
    // Only through the programme's own channel, or the role choice wesaid gave this person there (a button's id is not trusted).
    if (programmeId !== actor.channelProgrammeId && !isInvited(ctx, programmeId, actor.person.id, args.invite)) throw new WesaidError("not_allowed", say.joinText.joinInChannel);
    const programme = await ctx.db.programme.findUnique({ where: { id: programmeId } });
    if (!programme) throw new WesaidError("not_found", say.joinText.channelNotLinked);
    const existing = actor.memberships.find((m) => m.programmeId === programmeId);
    if (existing) return privately(say.joinText.alreadyMember(programme.name, existing.role));
    if (!args.role) return { private: say.chooseRole({ programmeName: programme.name, programmeId, roles: [...SELF_CHOSEN_ROLES], invite: inviteFor(ctx, programmeId, actor.person.id) }) };
    if (!maySelfChoose(args.role)) throw new WesaidError("not_allowed", say.joinText.notSelfChosen);
    // Their Person row is made here, when they join, and not before (issue 11).
    const person = await enrol(ctx.db, ctx.clock.now(), actor);
    await joinProgramme(ctx, { personId: person.id, programmeId, role: args.role });
    return { replaceSource: say.done(say.joinText.joined(programme.name)), private: say.done(say.joinText.joined(programme.name)) };
  },
});

const assign = defineAction({
  action: "people.assign_role",
  access: "member.assign_role",
  args: z.object({ programmeId: z.string().min(1).optional(), role: z.enum(ROLES) }),
  labels: { role: "Role" },
  async run(ctx, { actor, args, people, membership }) {
    const ref = people.user?.[0];
    if (!ref) throw new WesaidError("invalid_input", say.joinText.whoIsMeant);
    const person = await personMentioned(ctx.db, ctx.clock.now(), actor.platform, ref);
    await assignRole(ctx, { programmeId: membership.programmeId, personId: person.id, role: args.role, byId: actor.person.id });
    const programme = await ctx.db.programme.findUniqueOrThrow({ where: { id: membership.programmeId }, select: { name: true } });
    return privately(say.joinText.roleAssigned(person.displayName, args.role, programme.name));
  },
});

const consent = defineAction({
  action: "people.consent",
  access: "member",
  args: z.object({
    programmeId: z.string().min(1),
    participation: z.enum(["yes", "no"]),
    quotation: z.enum(["yes", "no"]).default("no"),
    // The version of the words the person was shown; forms sent before versions were shown carry none (version 1).
    policyVersion: z.coerce.number().int().min(1).default(1),
  }),
  labels: { participation: "Can we store what you tell us", quotation: "Can we quote you" },
  async run(ctx, { actor, args, membership }) {
    const choice = { participation: args.participation === "yes", quotation: args.quotation === "yes" };
    const words = await consentWords(ctx.db, membership.programmeId);
    // An answer to older words is not an answer to these: show the new words instead of recording it.
    if (args.policyVersion !== words.version) {
      return { replaceSource: say.consentQuestion({ programmeName: words.name, programmeId: membership.programmeId, text: words.text, version: words.version, changed: true }) };
    }
    await recordConsent(ctx, { personId: actor.person.id, programmeId: membership.programmeId, version: args.policyVersion, ...choice });
    const support = say.supportBlocks([{ programmeName: words.name, text: await supportTextOf(ctx.db, membership.programmeId) }]);
    return { replaceSource: say.consentSaved({ participation: choice.participation, quotation: choice.participation && choice.quotation, support }) };
  },
});

/** Who is in the programme by role. Names only to people who take part; evaluators see numbers (role-only, as everywhere). */
const roles = defineAction({
  action: "people.roles",
  access: "member",
  args: inProgramme,
  async run(ctx, { membership }) {
    const roster = await programmeRoster(ctx, membership.programmeId);
    return { private: say.rosterView({ ...roster, namesShown: membership.role !== "evaluator" }) };
  },
});

/** A private, gentle list for facilitators; never a message to the quiet people themselves. */
const quiet = defineAction({
  action: "people.quiet",
  access: "people.check_in",
  args: z.object({ programmeId: z.string().min(1).optional(), weeks: z.coerce.number().int().min(QUIET_WEEKS.min).max(QUIET_WEEKS.max).default(QUIET_WEEKS.default) }),
  labels: { weeks: "Weeks" },
  async run(ctx, { actor, args, membership }) {
    const [list, timeZone] = await Promise.all([quietMembers(ctx, membership.programmeId, args.weeks), timeZoneOf(ctx.db, actor.person.id)]);
    const quietPeople = list.quiet.map((q) => ({
      name: q.name,
      role: q.role,
      line: q.lastTookPart ? say.quietText.lastTime(formatDate(q.since, timeZone)) : say.quietText.neverSince(formatDate(q.since, timeZone)),
    }));
    return { private: say.quietView({ weeks: args.weeks, quiet: quietPeople, paused: list.paused, withdrew: list.withdrew, programmeId: membership.programmeId }) };
  },
});

const consentAsk = defineAction({
  action: "people.consent.ask",
  access: "member",
  args: inProgramme,
  run: async (ctx, { actor, membership }) => ({ private: await consentQuestionView(ctx, actor.person.id, membership.programmeId) }),
});

/** Saying no, in one step: the same as answering no, honoured at once. */
const withdraw = defineAction({
  action: "people.withdraw",
  access: "member",
  args: inProgramme,
  async run(ctx, { actor, membership }) {
    const state = await consentState(ctx.db, actor.person.id, membership.programmeId);
    if (state.participation === false && state.upToDate) return privately(say.consentText.alreadyOut);
    await recordConsent(ctx, { personId: actor.person.id, programmeId: membership.programmeId, participation: false, quotation: false });
    const { name } = await consentWords(ctx.db, membership.programmeId);
    return { replaceSource: say.done(say.consentText.withdrawn(name)), private: say.done(say.consentText.withdrawn(name)) };
  },
});

const consentWordsAction = defineAction({
  action: "programme.consent_words",
  access: "consent.change",
  args: z.object({ programmeId: z.string().min(1).optional(), text: z.string().trim().max(3000).default(""), confirm: z.enum(["yes"]).optional() }),
  labels: { text: "The new words" },
  async run(ctx, { actor, args, membership }) {
    const words = await consentWords(ctx.db, membership.programmeId);
    if (!args.text) return privately(`${say.consentText.wordsNow(words.version, words.text)}\n${say.consentText.wordsHowTo}`);
    if (args.text === words.text) return privately(say.consentText.sameWords);
    if (!args.confirm) {
      const members = await ctx.db.membership.count({ where: { programmeId: membership.programmeId } });
      const call = { programmeId: membership.programmeId, text: args.text, confirm: "yes" };
      return { private: say.consentWordsPreview({ text: args.text, members, call }) };
    }
    const result = await changeConsentWords(ctx, actor.person.id, { programmeId: membership.programmeId, text: args.text });
    return { replaceSource: say.done(say.consentText.wordsSaved(result.version, result.asked)), private: say.done(say.consentText.wordsSaved(result.version, result.asked)) };
  },
});

const leave = defineAction({
  action: "people.leave",
  access: "member",
  args: inProgramme,
  async run(ctx, { membership }) {
    const { name } = await consentWords(ctx.db, membership.programmeId);
    return { private: say.leaveConfirm({ programmeName: name, programmeId: membership.programmeId }) };
  },
});
const leaveCancel = defineAction({ action: "people.leave.cancel", access: "anyone", args: noArgs, run: async () => ({ replaceSource: say.done(say.leaveText.stayed) }) });
const leaveConfirm = defineAction({
  action: "people.leave.confirm",
  access: "member",
  args: inProgramme,
  async run(ctx, { actor, membership }) {
    const { programmeName } = await leaveProgramme(ctx, { personId: actor.person.id, programmeId: membership.programmeId });
    return { replaceSource: say.done(say.leaveText.left(programmeName)) };
  },
});

const prefs = defineAction({
  action: "people.prefs",
  access: "member",
  args: inProgramme,
  run: async (ctx, { actor, membership }) => ({ private: await preferencesView(ctx, actor.person.id, membership.programmeId, actor.platform) }),
});

const savePrefs = defineAction({
  action: "people.prefs.save",
  access: "member",
  args: preferencesInput.extend(inProgramme.shape),
  labels: PREFERENCE_LABELS,
  async run(ctx, { actor, args, membership }) {
    await updatePreferences(ctx, actor.person.id, args);
    return { replaceSource: await preferencesView(ctx, actor.person.id, membership.programmeId, actor.platform), private: say.done(say.prefsText.saved) };
  },
});

/** Back to the chat platform's zone after choosing one (home from a trip): it follows the platform again. */
const followPlatformZoneAction = defineAction({
  action: "people.prefs.zone.follow",
  access: "member",
  args: inProgramme,
  async run(ctx, { actor, membership }) {
    const pref = await followPlatformZone(ctx, actor.person.id);
    const from = pref && zoneSource(pref);
    const words = !pref ? say.zoneText.already : from ? say.zoneText.follows(from, pref.timeZone) : say.zoneText.usual(pref.timeZone);
    return { replaceSource: await preferencesView(ctx, actor.person.id, membership.programmeId, actor.platform), private: say.done(words) };
  },
});

const pause = defineAction({
  action: "people.pause",
  access: "anyone",
  args: noArgs,
  // Someone who pauses may be having a hard time: the support contacts come with the answer.
  async run(ctx, { actor }) {
    const words = (await setPaused(ctx, known(actor).person.id, true)) ? say.prefsText.paused : say.prefsText.alreadyPaused;
    const support = await supportForPerson(ctx.db, actor.person.id);
    return { private: { summary: words, blocks: [...say.done(words).blocks, ...say.supportBlocks(support)] } };
  },
});

const support = defineAction({
  action: "people.support",
  access: "anyone",
  args: noArgs,
  run: async (ctx, { actor }) => ({ private: say.supportView(await supportForPerson(ctx.db, actor.person.id)) }),
});

const supportWords = defineAction({
  action: "programme.support_words",
  access: "programme.setup",
  args: z.object({ programmeId: z.string().min(1).optional(), text: z.string().trim().max(2000).default(""), clear: z.enum(["yes"]).optional() }),
  labels: { text: "The support contacts" },
  async run(ctx, { args, membership }) {
    if (args.clear) {
      await setSupportText(ctx.db, membership.programmeId, "");
      return privately(say.supportText.cleared);
    }
    if (!args.text) {
      const now = await supportTextOf(ctx.db, membership.programmeId);
      return privately(`${now ? say.supportText.now(now) : say.supportText.none}\n${say.supportText.howTo}`);
    }
    await setSupportText(ctx.db, membership.programmeId, args.text);
    return privately(say.supportText.saved);
  },
});

const resume = defineAction({
  action: "people.resume",
  access: "anyone",
  args: noArgs,
  run: async (ctx, { actor }) => privately((await setPaused(ctx, known(actor).person.id, false)) ? say.prefsText.resumed : say.prefsText.notPaused),
});

const myData = defineAction({
  action: "people.my_data",
  access: "anyone",
  args: noArgs,
  run: async (ctx, { actor }) => (actor.newcomer ? privately(say.myDataNothing) : { private: await myDataView(ctx, actor.person.id) }),
});

const forget = defineAction({ action: "people.forget", access: "anyone", args: noArgs, run: async () => ({ private: say.forgetConfirm() }) });
const forgetCancel = defineAction({ action: "people.forget.cancel", access: "anyone", args: noArgs, run: async () => ({ replaceSource: say.done(say.forgetText.cancelled) }) });
const forgetConfirm = defineAction({
  action: "people.forget.confirm",
  access: "anyone",
  args: noArgs,
  async run(ctx, { actor }) {
    if (!actor.newcomer) await erasePerson(ctx, actor.person.id);
    return { replaceSource: say.done(say.forgetText.done) };
  },
});

const catchUp = defineAction({
  action: "people.catch_up",
  access: "member",
  args: inProgramme,
  run: async (ctx, { actor, membership }) => ({ private: await catchUpView(ctx, actor.person.id, membership.programmeId) }),
});

const myTime = defineAction({
  action: "people.my_time",
  access: "anyone",
  args: noArgs,
  run: async (ctx, { actor }) => ({ private: say.myTime(await contributionSummary(ctx.db, actor.person.id)) }),
});

export const peopleFeature: Feature = {
  name: "people",
  sweeps: [
    { name: "people.unreachable", run: reportUnreachable },
    { name: "people.consent_requests", run: askForConsentAgain },
  ],
  actions: [setup, join, assign, consent, roles, quiet, support, supportWords, consentAsk, withdraw, consentWordsAction, leave, leaveCancel, leaveConfirm, prefs, savePrefs, followPlatformZoneAction, pause, resume, myData, forget, forgetCancel, forgetConfirm, catchUp, myTime, ...recognitionWiring.actions],
  commands: [
    { name: "setup", ...say.commandHelp.setup, toAction: (rest) => ({ action: "programme.setup", args: { name: rest } }) },
    { name: "join", ...say.commandHelp.join, toAction: () => ({ action: "people.join", args: {} }) },
    {
      name: "quiet",
      ...say.commandHelp.quiet,
      capability: "people.check_in",
      // "quiet 6" or "quiet 6 weeks": the number is the weeks; anything else is checked by the action's schema.
      toAction: (rest): { action: string; args: Record<string, string> } => {
        const weeks = rest.trim().split(/\s+/)[0] ?? "";
        return { action: "people.quiet", args: weeks ? { weeks } : {} };
      },
    },
    { name: "support", aliases: ["help-me", "crisis"], ...say.commandHelp.support, toAction: () => ({ action: "people.support", args: {} }) },
    {
      name: "support-words",
      ...say.commandHelp.supportWords,
      capability: "programme.setup",
      toAction: (rest) => ({ action: "programme.support_words", args: { text: rest } }),
    },
    { name: "roles", aliases: ["who"], ...say.commandHelp.roles, toAction: () => ({ action: "people.roles", args: {} }) },
    {
      name: "role",
      ...say.commandHelp.role,
      capability: "member.assign_role",
      toAction(rest, mentions) {
        const person = mentions[0];
        if (!person) throw new WesaidError("invalid_input", say.joinText.whoIsMeant);
        const role = textWithoutMentions(rest, mentions).toLowerCase().replace(/[\s-]+/g, "_");
        return { action: "people.assign_role", args: { role }, people: { user: [person] } };
      },
    },
    { name: "prefs", aliases: ["preferences", "settings"], ...say.commandHelp.prefs, toAction: () => ({ action: "people.prefs", args: {} }) },
    { name: "pause", ...say.commandHelp.pause, toAction: () => ({ action: "people.pause", args: {} }) },
    { name: "resume", ...say.commandHelp.resume, toAction: () => ({ action: "people.resume", args: {} }) },
    { name: "catch-up", aliases: ["catchup"], ...say.commandHelp.catchUp, toAction: () => ({ action: "people.catch_up", args: {} }) },
    { name: "my-time", ...say.commandHelp.myTime, toAction: () => ({ action: "people.my_time", args: {} }) },
    { name: "my-data", aliases: ["mydata"], ...say.commandHelp.myData, toAction: () => ({ action: "people.my_data", args: {} }) },
    { name: "forget-me", aliases: ["forgetme"], ...say.commandHelp.forgetMe, toAction: () => ({ action: "people.forget", args: {} }) },
    { name: "consent", ...say.commandHelp.consent, toAction: () => ({ action: "people.consent.ask", args: {} }) },
    { name: "withdraw", ...say.commandHelp.withdraw, toAction: () => ({ action: "people.withdraw", args: {} }) },
    { name: "leave", ...say.commandHelp.leave, toAction: () => ({ action: "people.leave", args: {} }) },
    {
      name: "consent-words",
      ...say.commandHelp.consentWords,
      capability: "consent.change",
      toAction: (rest) => ({ action: "programme.consent_words", args: { text: rest } }),
    },
    ...recognitionWiring.commands,
  ],
};
