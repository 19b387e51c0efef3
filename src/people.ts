import { z } from "zod";
import type { CoreContext, CoreSettings } from "./context.ts";
import type { DbTx } from "./db/database.ts";
import { WesaidError } from "./errors.ts";
import { textWithoutMentions, type Actor, type Feature, type Reply } from "./interactions.ts";
import type { Platform } from "./messenger.ts";
import type { Membership, Person, PlatformIdentity, Preference } from "./generated/prisma/client.ts";
import { ROLE_LABELS, ROLES, rolesWith, SELF_CHOSEN_ROLES, type Role } from "./roles.ts";
import { authorise, consentState, membershipFor, membersWithRoles } from "./access.ts";
import { enqueue } from "./outbox.ts";
import { audit } from "./audit.ts";
import { parseInput, text, timeZone } from "./validation.ts";
import { formatClockTime, formatDate, parseClockTime } from "./time.ts";
import * as say from "./messages/catalogue/people.ts";
import { STATUS_WORDS } from "./feedback/index.ts";

// ------------------------------------------------------------------ identities

/** The name of someone we know only by a chat id, until they tell us theirs. */
export const UNKNOWN_NAME = "Someone";

export async function ensureIdentity(
  db: DbTx,
  now: Date,
  platform: Platform,
  user: { externalId: string; displayName?: string; tenantId?: string; address?: unknown },
): Promise<{ person: Person; identity: PlatformIdentity }> {
  const existing = await db.platformIdentity.findUnique({ where: { platform_externalId: { platform, externalId: user.externalId } }, include: { person: true } });
  if (existing) {
    const identity = await db.platformIdentity.update({
      where: { id: existing.id },
      data: {
        lastSeenAt: now,
        reachable: true,
        unreachableReason: null,
        ...(user.address !== undefined ? { address: user.address as object } : {}),
        ...(user.tenantId ? { tenantId: user.tenantId } : {}),
      },
    });
    let person = existing.person;
    if (user.displayName && user.displayName !== person.displayName) {
      person = await db.person.update({ where: { id: person.id }, data: { displayName: user.displayName } });
    }
    return { person, identity };
  }
  const person = await db.person.create({
    data: { displayName: user.displayName?.trim() || UNKNOWN_NAME, preference: { create: {} } },
  });
  const identity = await db.platformIdentity.create({
    data: {
      personId: person.id,
      platform,
      externalId: user.externalId,
      tenantId: user.tenantId ?? null,
      address: (user.address as object | undefined) ?? undefined,
      lastSeenAt: now,
    },
  });
  return { person, identity };
}

// ------------------------------------------------------------------ programmes and membership

export async function setupProgramme(
  ctx: CoreContext,
  input: { name: string; description?: string; facilitatorId: string; channel?: { platform: Platform; externalId: string; name?: string; address?: unknown } },
) {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    if (input.channel) {
      const linked = await tx.programmeChannel.findUnique({
        where: { platform_externalId: { platform: input.channel.platform, externalId: input.channel.externalId } },
        include: { programme: true },
      });
      if (linked) throw new WesaidError("conflict", say.joinText.channelAlreadyLinked(linked.programme.name));
    }
    const programme = await tx.programme.create({ data: { name: input.name, description: input.description ?? "", createdAt: now } });
    if (input.channel) {
      const channel = await tx.programmeChannel.create({
        data: {
          programmeId: programme.id,
          platform: input.channel.platform,
          externalId: input.channel.externalId,
          name: input.channel.name ?? "",
          address: (input.channel.address as object | undefined) ?? undefined,
        },
      });
      await enqueue(tx, now, {
        key: `programme:${programme.id}:announce:${channel.id}`,
        purpose: "programme.announce",
        channelId: channel.id,
        programmeId: programme.id,
        message: say.channelAnnouncement({ programmeName: programme.name }),
      });
    }
    await addMember(tx, ctx, { programmeId: programme.id, personId: input.facilitatorId, role: "facilitator", now });
    await audit(tx, now, input.facilitatorId, "programme.setup", "Programme", programme.id, { name: input.name });
    return programme;
  });
}

/** Adds (or re-adds) a member and queues the welcome. Returns the membership and whether it is new. */
export async function addMember(
  tx: DbTx,
  ctx: CoreContext,
  p: { programmeId: string; personId: string; role: Role; now: Date },
): Promise<{ membership: Membership; created: boolean }> {
  const existing = await tx.membership.findUnique({ where: { programmeId_personId: { programmeId: p.programmeId, personId: p.personId } } });
  if (existing && !existing.leftAt) return { membership: existing, created: false };
  const membership = existing
    ? await tx.membership.update({ where: { id: existing.id }, data: { leftAt: null, role: p.role, joinedAt: p.now } })
    : await tx.membership.create({ data: { programmeId: p.programmeId, personId: p.personId, role: p.role, joinedAt: p.now } });
  const programme = await tx.programme.findUniqueOrThrow({ where: { id: p.programmeId } });
  await enqueue(tx, p.now, {
    key: `welcome:${membership.id}:${p.now.getTime()}`,
    purpose: "people.welcome",
    personId: p.personId,
    programmeId: p.programmeId,
    message: say.welcome({ programmeName: programme.name, description: programme.description, role: p.role, programmeId: programme.id, policyVersion: ctx.settings.consentPolicyVersion }),
  });
  await tx.membership.update({ where: { id: membership.id }, data: { welcomedAt: p.now } });
  return { membership, created: true };
}

export async function joinProgramme(ctx: CoreContext, p: { personId: string; programmeId: string; role: Role }) {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const result = await addMember(tx, ctx, { ...p, now });
    if (result.created) await audit(tx, now, p.personId, "member.join", "Membership", result.membership.id, { role: p.role });
    return result;
  });
}

export async function assignRole(ctx: CoreContext, p: { programmeId: string; personId: string; role: Role; byId: string }) {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const result = await addMember(tx, ctx, { programmeId: p.programmeId, personId: p.personId, role: p.role, now });
    if (!result.created && result.membership.role !== p.role) {
      await tx.membership.update({ where: { id: result.membership.id }, data: { role: p.role } });
    }
    await audit(tx, now, p.byId, "member.role", "Membership", result.membership.id, { role: p.role });
    return result.membership;
  });
}

// ------------------------------------------------------------------ consent and preferences

export async function recordConsent(ctx: CoreContext, p: { personId: string; programmeId: string; participation: boolean; quotation: boolean }) {
  const now = ctx.clock.now();
  await ctx.db.$transaction(async (tx) => {
    await tx.consentRecord.createMany({
      data: [
        { personId: p.personId, programmeId: p.programmeId, kind: "participation", granted: p.participation, policyVersion: ctx.settings.consentPolicyVersion, recordedAt: now },
        // Being quoted needs taking part: no stored words, nothing to quote.
        { personId: p.personId, programmeId: p.programmeId, kind: "quotation", granted: p.participation && p.quotation, policyVersion: ctx.settings.consentPolicyVersion, recordedAt: now },
      ],
    });
    await audit(tx, now, p.personId, "consent.record", "Person", p.personId, { programmeId: p.programmeId, participation: p.participation, quotation: p.quotation });
  });
}

export const DEFAULT_TIME_ZONE = "Europe/London";

/** The person's time zone, for showing them dates and times. */
export async function timeZoneOf(db: DbTx, personId: string): Promise<string> {
  return (await db.preference.findUnique({ where: { personId } }))?.timeZone ?? DEFAULT_TIME_ZONE;
}

export async function preferencesOf(db: DbTx, personId: string): Promise<Preference> {
  return db.preference.upsert({ where: { personId }, create: { personId }, update: {} });
}

export const preferencesInput = z.object({
  timeZone: timeZone.optional(),
  quietStart: z.string().optional(),
  quietEnd: z.string().optional(),
  reminderLimit: z.coerce.number().int().min(0).max(5).optional(),
});

export async function updatePreferences(ctx: CoreContext, personId: string, raw: unknown): Promise<Preference> {
  const input = parseInput(preferencesInput, raw, { timeZone: "Time zone", reminderLimit: "Reminders" });
  const quietStart = input.quietStart === undefined ? undefined : parseClockTime(input.quietStart);
  const quietEnd = input.quietEnd === undefined ? undefined : parseClockTime(input.quietEnd);
  if (quietStart === null || quietEnd === null) throw new WesaidError("invalid_input", say.prefsText.badTime);
  await preferencesOf(ctx.db, personId);
  return ctx.db.preference.update({
    where: { personId },
    data: {
      ...(input.timeZone ? { timeZone: input.timeZone } : {}),
      ...(quietStart !== undefined ? { quietStart } : {}),
      ...(quietEnd !== undefined ? { quietEnd } : {}),
      ...(input.reminderLimit !== undefined ? { reminderLimit: input.reminderLimit } : {}),
    },
  });
}

export async function setPaused(ctx: CoreContext, personId: string, paused: boolean): Promise<boolean> {
  const pref = await preferencesOf(ctx.db, personId);
  if (Boolean(pref.pausedAt) === paused) return false;
  await ctx.db.preference.update({ where: { personId }, data: { pausedAt: paused ? ctx.clock.now() : null } });
  await audit(ctx.db, ctx.clock.now(), personId, paused ? "person.pause" : "person.resume", "Person", personId);
  return true;
}

// ------------------------------------------------------------------ recognition

export async function recordContribution(
  tx: DbTx,
  settings: CoreSettings,
  p: { personId: string; programmeId: string; kind: keyof CoreSettings["contributionMinutes"]; sourceRef: string; occurredAt: Date },
): Promise<void> {
  await tx.contribution.createMany({
    skipDuplicates: true,
    data: [{ ...p, minutes: settings.contributionMinutes[p.kind] }],
  });
}

const CONTRIBUTION_LABELS: Record<string, string> = {
  answer: "answered questions",
  suggestion: "shared ideas",
  panel: "sat on panels",
  debrief: "gave feedback after panels",
  taster: "went to taster sessions",
};

export async function contributionSummary(db: DbTx, personId: string) {
  const rows = await db.contribution.groupBy({ by: ["kind"], where: { personId }, _sum: { minutes: true }, _count: { _all: true } });
  const totalMinutes = rows.reduce((sum, r) => sum + (r._sum.minutes ?? 0), 0);
  const lines = rows.map((r) => `${CONTRIBUTION_LABELS[r.kind] ?? r.kind}: ${r._count._all} time${r._count._all === 1 ? "" : "s"}`);
  return { totalMinutes, lines };
}

// ------------------------------------------------------------------ subject access and erasure

/** Everything stored about a person, as plain data (the "my data" export). */
export async function exportPersonData(db: DbTx, personId: string) {
  const person = await db.person.findUniqueOrThrow({
    where: { id: personId },
    include: { identities: true, memberships: { include: { programme: true } }, consents: true, preference: true, contributions: true },
  });
  const [answers, deliveries, suggestions, reactions, signups, panels, debriefs, coOwned] = await Promise.all([
    db.promptResponse.findMany({ where: { personId } }),
    db.promptDelivery.findMany({ where: { personId } }),
    db.feedbackItem.findMany({ where: { raisedById: personId }, include: { history: true } }),
    db.feedbackReaction.findMany({ where: { personId } }),
    db.tasterSignup.findMany({ where: { personId }, include: { taster: { select: { title: true, startsAt: true } } } }),
    db.panelMember.findMany({ where: { personId }, include: { panel: { select: { title: true, startsAt: true } } } }),
    db.debriefResponse.findMany({ where: { personId } }),
    db.coOwner.findMany({ where: { personId }, include: { action: true } }),
  ]);
  return {
    person: { id: person.id, displayName: person.displayName, createdAt: person.createdAt },
    chatAccounts: person.identities.map((i) => ({ platform: i.platform, externalId: i.externalId, lastSeenAt: i.lastSeenAt })),
    programmes: person.memberships.map((m) => ({ programme: m.programme.name, role: m.role, joinedAt: m.joinedAt, leftAt: m.leftAt })),
    consents: person.consents.map((c) => ({ kind: c.kind, granted: c.granted, policyVersion: c.policyVersion, recordedAt: c.recordedAt })),
    preferences: person.preference,
    promptsSent: deliveries.map((d) => ({ occurrenceId: d.occurrenceId, status: d.status, sentAt: d.sentAt, answeredAt: d.answeredAt })),
    answers: answers.map((a) => ({ occurrenceId: a.occurrenceId, questionId: a.questionId, text: a.text, number: a.number, choices: a.choices, answeredAt: a.answeredAt })),
    suggestions: suggestions.map((s) => ({ number: s.number, text: s.text, status: s.status, createdAt: s.createdAt, history: s.history })),
    repliesToUpdates: reactions,
    tasterSignups: signups.map((s) => ({ taster: s.taster.title, startsAt: s.taster.startsAt, status: s.status, attended: s.attended })),
    panels: panels.map((p) => ({ panel: p.panel.title, startsAt: p.panel.startsAt, role: p.role })),
    debriefs,
    sharedActions: coOwned.map((c) => ({ title: c.action.title, status: c.action.status })),
    timeGiven: person.contributions,
  };
}

/**
 * Erases a person: their name, accounts, choices and words go; answers that are
 * numbers or choices stay with their role only, so totals stay right.
 */
export async function erasePerson(ctx: CoreContext, personId: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.$transaction(async (tx) => {
    await tx.promptResponse.updateMany({ where: { personId }, data: { personId: null, text: null } });
    await tx.promptResponse.deleteMany({ where: { personId: null, text: null, number: null, choices: { isEmpty: true } } });
    await tx.promptDelivery.deleteMany({ where: { personId } });
    await tx.feedbackItem.updateMany({ where: { raisedById: personId }, data: { raisedById: null, text: "(Removed at the request of the person who raised it.)" } });
    await tx.feedbackItem.updateMany({ where: { ownerId: personId }, data: { ownerId: null } });
    await tx.feedbackReaction.updateMany({ where: { personId }, data: { personId: null, comment: null } });
    await tx.debriefResponse.updateMany({ where: { personId }, data: { personId: null, wentWell: "", couldImprove: "", changeNextTime: "" } });
    await tx.tasterSignup.deleteMany({ where: { personId } });
    await tx.panelMember.deleteMany({ where: { personId } });
    await tx.coOwner.deleteMany({ where: { personId } });
    await tx.outboxMessage.deleteMany({ where: { personId, status: { in: ["pending", "sending"] } } });
    await tx.outboxMessage.updateMany({ where: { personId }, data: { message: {}, personId: null } });
    await tx.platformIdentity.deleteMany({ where: { personId } });
    await tx.consentRecord.deleteMany({ where: { personId } });
    await tx.contribution.deleteMany({ where: { personId } });
    await tx.preference.deleteMany({ where: { personId } });
    await tx.membership.deleteMany({ where: { personId } });
    await tx.auditEntry.updateMany({ where: { actorId: personId }, data: { actorId: null } });
    await tx.person.update({ where: { id: personId }, data: { displayName: "Erased", erasedAt: now } });
    // The audit entry records that an erasure happened, not who it was.
    await audit(tx, now, null, "person.erase", "Person", "erased");
  });
}

// ------------------------------------------------------------------ catch-up for late joiners

export async function catchUpFor(db: DbTx, programmeId: string) {
  const programme = await db.programme.findUniqueOrThrow({ where: { id: programmeId } });
  const updates = await db.feedbackUpdate.findMany({ where: { programmeId }, orderBy: { postedAt: "desc" }, take: 5 });
  const openItems = await db.feedbackItem.findMany({
    where: { programmeId, status: { in: ["received", "considering", "agreed"] } },
    orderBy: { createdAt: "desc" },
    take: 10,
  });
  return { programme, updates, openItems };
}


// ------------------------------------------------------------------ people we cannot reach

/**
 * Tells facilitators about people whose messages could not be delivered (for
 * example, the app is not installed for them), at most once a day per person,
 * so nobody is silently skipped.
 */
export async function reportUnreachable(ctx: CoreContext, now: Date): Promise<number> {
  const rows = await ctx.db.outboxMessage.findMany({
    where: { status: "unreachable", reportedAt: null, personId: { not: null } },
    take: 100,
    orderBy: { createdAt: "asc" },
  });
  let reported = 0;
  for (const row of rows) {
    const claim = await ctx.db.outboxMessage.updateMany({ where: { id: row.id, reportedAt: null }, data: { reportedAt: now } });
    if (claim.count === 0 || row.purpose === "people.unreachable") continue;
    await ctx.db.$transaction(async (tx) => {
      const person = await tx.person.findUnique({ where: { id: row.personId! }, include: { identities: true, memberships: true } });
      if (!person || person.erasedAt) return;
      const identity = person.identities[0];
      const programmeIds = row.programmeId ? [row.programmeId] : person.memberships.map((m) => m.programmeId);
      const day = now.toISOString().slice(0, 10);
      for (const programmeId of programmeIds) {
        const organisers = await membersWithRoles(tx, programmeId, rolesWith("reports.unreachable"));
        await enqueue(
          tx,
          now,
          ...organisers
            .filter((m) => m.personId !== person.id)
            .map((m) => ({
              key: `unreachable:${person.id}:${programmeId}:${m.personId}:${day}`,
              purpose: "people.unreachable",
              personId: m.personId,
              programmeId,
              message: say.unreachableReport({ displayName: person.displayName, platform: identity?.platform ?? "chat", detail: row.lastError ?? "no reason given" }),
            })),
        );
      }
      reported++;
    });
  }
  return reported;
}

// ------------------------------------------------------------------ chat actions and commands

const consentArgs = z.object({
  programmeId: z.string().min(1),
  participation: z.enum(["yes", "no"]),
  quotation: z.enum(["yes", "no"]).default("no"),
});

const joinArgs = z.object({ programmeId: z.string().optional(), role: z.enum(ROLES).optional() });
const roleArgs = z.object({ programmeId: z.string().optional(), user: z.string().min(1), role: z.enum(ROLES), name: z.string().max(200).optional() });

const privately = (text: string): Reply => ({ private: say.done(text) });

async function programmeName(ctx: CoreContext, programmeId: string): Promise<string> {
  return (await ctx.db.programme.findUniqueOrThrow({ where: { id: programmeId } })).name;
}

async function showPreferences(ctx: CoreContext, actor: Actor, programmeId?: string): Promise<Reply> {
  const membership = membershipFor(actor, programmeId);
  const pref = await preferencesOf(ctx.db, actor.person.id);
  const consent = await consentState(ctx.db, actor.person.id, membership.programmeId, ctx.settings.consentPolicyVersion);
  return {
    private: say.preferencesForm({
      programmeId: membership.programmeId,
      timeZone: pref.timeZone,
      quietStart: formatClockTime(pref.quietStart),
      quietEnd: formatClockTime(pref.quietEnd),
      reminderLimit: pref.reminderLimit,
      paused: Boolean(pref.pausedAt),
      participation: consent.participation,
      quotation: consent.quotation,
    }),
  };
}

export const peopleFeature: Feature = {
  name: "people",
  sweeps: [{ name: "people.unreachable", run: reportUnreachable }],
  actions: [
    {
      action: "programme.setup",
      async run(ctx, actor, args) {
        const input = parseInput(z.object({ name: text(120), description: z.string().max(2000).optional() }), args, { name: "Programme name" });
        if (actor.place.kind !== "channel") throw new WesaidError("invalid_input", "Please type setup in the channel the programme will use, not in a private chat.");
        const programme = await setupProgramme(ctx, {
          name: input.name,
          description: input.description,
          facilitatorId: actor.person.id,
          channel: { platform: actor.platform, externalId: actor.place.externalId, name: actor.place.name, address: actor.place.address },
        });
        return privately(say.joinText.programmeCreated(programme.name));
      },
    },
    {
      action: "people.join",
      async run(ctx, actor, args) {
        const input = parseInput(joinArgs, args, { role: "Role" });
        const programmeId = input.programmeId ?? actor.channelProgrammeId;
        if (!programmeId) throw new WesaidError("not_found", say.joinText.channelNotLinked);
        const programme = await ctx.db.programme.findUnique({ where: { id: programmeId } });
        if (!programme) throw new WesaidError("not_found", say.joinText.channelNotLinked);
        const existing = actor.memberships.find((m) => m.programmeId === programmeId && !m.leftAt);
        if (existing) return privately(say.joinText.alreadyMember(programme.name, existing.role));
        if (!input.role) return { private: say.chooseRole({ programmeName: programme.name, programmeId, roles: [...SELF_CHOSEN_ROLES] }) };
        if (!SELF_CHOSEN_ROLES.includes(input.role)) throw new WesaidError("not_allowed", say.joinText.notSelfChosen);
        await joinProgramme(ctx, { personId: actor.person.id, programmeId, role: input.role });
        return { replaceSource: say.done(say.joinText.joined(programme.name)), private: say.done(say.joinText.joined(programme.name)) };
      },
    },
    {
      action: "people.assign_role",
      async run(ctx, actor, args) {
        const input = parseInput(roleArgs, args, { user: "Person", role: "Role" });
        const membership = authorise(actor, "member.assign_role", input.programmeId);
        let { person } = await ensureIdentity(ctx.db, ctx.clock.now(), actor.platform, { externalId: input.user });
        // Someone we have not met yet takes the name from the mention, so reports about them can name them.
        if (person.displayName === UNKNOWN_NAME && input.name) {
          person = await ctx.db.person.update({ where: { id: person.id }, data: { displayName: input.name } });
        }
        await assignRole(ctx, { programmeId: membership.programmeId, personId: person.id, role: input.role, byId: actor.person.id });
        return privately(say.joinText.roleAssigned(person.displayName, input.role, await programmeName(ctx, membership.programmeId)));
      },
    },
    {
      action: "people.consent",
      async run(ctx, actor, args) {
        const input = parseInput(consentArgs, args, { participation: "Can we store what you tell us", quotation: "Can we quote you" });
        membershipFor(actor, input.programmeId);
        const choice = { participation: input.participation === "yes", quotation: input.quotation === "yes" };
        await recordConsent(ctx, { personId: actor.person.id, programmeId: input.programmeId, ...choice });
        return { replaceSource: say.consentSaved({ participation: choice.participation, quotation: choice.participation && choice.quotation }) };
      },
    },
    { action: "people.prefs", run: (ctx, actor, args) => showPreferences(ctx, actor, args.programmeId) },
    {
      action: "people.prefs.save",
      async run(ctx, actor, args) {
        await updatePreferences(ctx, actor.person.id, args);
        const shown = await showPreferences(ctx, actor, args.programmeId);
        return { replaceSource: shown.private, private: say.done(say.prefsText.saved) };
      },
    },
    {
      action: "people.pause",
      async run(ctx, actor) {
        return privately((await setPaused(ctx, actor.person.id, true)) ? say.prefsText.paused : say.prefsText.alreadyPaused);
      },
    },
    {
      action: "people.resume",
      async run(ctx, actor) {
        return privately((await setPaused(ctx, actor.person.id, false)) ? say.prefsText.resumed : say.prefsText.notPaused);
      },
    },
    {
      action: "people.my_data",
      async run(ctx, actor) {
        const data = await exportPersonData(ctx.db, actor.person.id);
        const summaryLines = [
          `Name: ${data.person.displayName}`,
          `Programmes: ${data.programmes.map((p) => `${p.programme} (${ROLE_LABELS[p.role]})`).join(", ") || "none"}`,
          `Answers: ${data.answers.length}`,
          `Ideas you raised: ${data.suggestions.length}`,
          `Taster sign-ups: ${data.tasterSignups.length}`,
          `Panels: ${data.panels.length}`,
        ];
        return { private: say.myData({ summaryLines, json: JSON.stringify(data, null, 2) }) };
      },
    },
    { action: "people.forget", run: async () => ({ private: say.forgetConfirm() }) },
    { action: "people.forget.cancel", run: async () => ({ replaceSource: say.done(say.forgetText.cancelled) }) },
    {
      action: "people.forget.confirm",
      async run(ctx, actor) {
        await erasePerson(ctx, actor.person.id);
        return { replaceSource: say.done(say.forgetText.done) };
      },
    },
    {
      action: "people.catch_up",
      async run(ctx, actor, args) {
        const membership = membershipFor(actor, args.programmeId);
        const pref = await preferencesOf(ctx.db, actor.person.id);
        const { programme, updates, openItems } = await catchUpFor(ctx.db, membership.programmeId);
        return {
          private: say.catchUp({
            programmeName: programme.name,
            updates: updates.map((u) => ({ text: u.text, when: formatDate(u.postedAt, pref.timeZone) })),
            openItems: openItems.map((i) => ({ number: i.number, text: i.text, status: STATUS_WORDS[i.status] })),
          }),
        };
      },
    },
    {
      action: "people.my_time",
      async run(ctx, actor) {
        return { private: say.myTime(await contributionSummary(ctx.db, actor.person.id)) };
      },
    },
  ],
  commands: [
    { name: "setup", usage: "setup <programme name>", summary: "Start a programme in this channel. You become its facilitator.", toAction: (rest) => ({ action: "programme.setup", args: { name: rest } }) },
    { name: "join", usage: "join", summary: "Join the programme of this channel.", toAction: () => ({ action: "people.join", args: {} }) },
    {
      name: "role",
      usage: "role @name <role>",
      summary: "Add someone to the programme with a role, or change their role.",
      capability: "member.assign_role",
      toAction(rest, mentions) {
        const person = mentions[0];
        if (!person) throw new WesaidError("invalid_input", say.joinText.whoIsMeant);
        const role = textWithoutMentions(rest, mentions).toLowerCase().replace(/[\s-]+/g, "_");
        return { action: "people.assign_role", args: { user: person.externalId, role, ...(person.displayName?.trim() ? { name: person.displayName.trim() } : {}) } };
      },
    },
    { name: "prefs", aliases: ["preferences", "settings"], usage: "prefs", summary: "See and change your quiet hours, reminders and choices.", toAction: () => ({ action: "people.prefs", args: {} }) },
    { name: "pause", usage: "pause", summary: "Stop all messages until you say resume.", toAction: () => ({ action: "people.pause", args: {} }) },
    { name: "resume", usage: "resume", summary: "Start messages again.", toAction: () => ({ action: "people.resume", args: {} }) },
    { name: "catch-up", aliases: ["catchup"], usage: "catch-up", summary: "See recent updates and open ideas.", toAction: () => ({ action: "people.catch_up", args: {} }) },
    { name: "my-time", usage: "my-time", summary: "See the time you have given.", toAction: () => ({ action: "people.my_time", args: {} }) },
    { name: "my-data", aliases: ["mydata"], usage: "my-data", summary: "See everything we store about you.", toAction: () => ({ action: "people.my_data", args: {} }) },
    { name: "forget-me", aliases: ["forgetme"], usage: "forget-me", summary: "Ask us to delete everything about you.", toAction: () => ({ action: "people.forget", args: {} }) },
  ],
};
