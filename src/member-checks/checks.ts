import { z } from "zod";
import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { WesaidError } from "../errors.ts";
import type { MemberCheck } from "../generated/prisma/client.ts";
import { PARTICIPANT_ROLES, ROLE_LABELS, ROLES, type Role } from "../roles.ts";
import { membersWithRoles } from "../access.ts";
import { tellPeople } from "../gate.ts";
import { audit } from "../audit.ts";
import { optionalText, text } from "../validation.ts";
import { formatDate } from "../time.ts";
import { whenField } from "../calendar/index.ts";
import { peopleWhoMayBeQuoted } from "../people/index.ts";
import { answerLabeller, SOMEONE } from "../suppression.ts";
import { askedByCheck } from "./asked.ts";
import { askKey, checkBreakdown, checkState, closesInFuture, VERDICTS, type Verdict } from "./rules.ts";
import * as say from "./catalogue.ts";

/** Member checks: writing one, sending it through the gate, answers, and what the evaluator sees. */

export const createArgs = z.object({
  programmeId: z.string().min(1).max(100).optional(),
  title: text(120),
  summary: text(2500),
  closesAt: z.string().max(100).nullish(),
});
export const answerArgs = z.object({ checkId: z.string().min(1).max(100), verdict: z.enum(VERDICTS), comment: optionalText(2000) });
export const CHECK_LABELS = { title: "Title", summary: "What we heard, in plain words", closesAt: "Closing date", verdict: say.QUESTION, comment: "Anything to add?" };

/** The check an action is about, and so its programme. */
export async function loadCheck(ctx: CoreContext, args: { checkId: string }): Promise<{ programmeId: string; target: MemberCheck }> {
  const check = await ctx.db.memberCheck.findUnique({ where: { id: args.checkId } });
  if (!check) throw new WesaidError("not_found", say.checkText.notFound);
  return { programmeId: check.programmeId, target: check };
}

/** Reads the closing date in the writer's time zone; refuses one in the past. */
export function closingDate(value: string | null | undefined, timeZone: string, now: Date): Date | undefined {
  if (!value?.trim()) return undefined;
  const parsed = whenField(CHECK_LABELS.closesAt, timeZone, say.checkText.badTime).safeParse(value);
  if (!parsed.success) throw new WesaidError("invalid_input", say.checkText.badTime(CHECK_LABELS.closesAt));
  if (!closesInFuture(parsed.data, now)) throw new WesaidError("invalid_input", say.checkText.closesInPast);
  return parsed.data;
}

export async function createCheck(ctx: CoreContext, p: { personId: string; programmeId: string; title: string; summary: string; closesAt?: Date }): Promise<MemberCheck> {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const check = await tx.memberCheck.create({ data: { programmeId: p.programmeId, title: p.title, summary: p.summary, closesAt: p.closesAt ?? null, createdById: p.personId, createdAt: now } });
    await audit(tx, now, p.personId, "membercheck.create", "MemberCheck", check.id);
    return check;
  });
}

export async function participantsOf(db: DbTx, programmeId: string) {
  return membersWithRoles(db, programmeId, PARTICIPANT_ROLES);
}

/**
 * Sends the check once: the update of `sentAt` from null is the claim, so a second press sends nothing.
 * Who was asked is read later from what was delivered (asked.ts), not counted here.
 */
export async function sendCheck(ctx: CoreContext, personId: string, check: MemberCheck): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const claim = await tx.memberCheck.updateMany({ where: { id: check.id, sentAt: null }, data: { sentAt: now } });
    if (claim.count === 0) throw new WesaidError("conflict", say.checkText.alreadySent);
    const members = await participantsOf(tx, check.programmeId);
    const told = await tellPeople(tx, now, { kind: "membercheck", programmeId: check.programmeId, personIds: members.map((m) => m.personId) }, (to, timeZone) => ({
      key: askKey(check.id, to),
      purpose: "membercheck.ask",
      message: say.question({ checkId: check.id, title: check.title, summary: check.summary, closes: check.closesAt ? formatDate(check.closesAt, timeZone) : undefined }),
    }));
    await audit(tx, now, personId, "membercheck.send", "MemberCheck", check.id, { people: told.length });
    return told.length;
  });
}

export function requireOpen(check: MemberCheck, now: Date, timeZone: string): void {
  const state = checkState(check, now);
  if (state === "draft") throw new WesaidError("closed", say.checkText.notSent);
  if (state === "closed") throw new WesaidError("closed", say.checkText.closed(formatDate(check.closesAt!, timeZone)));
}

/** Stores (or changes) a person's answer while the check is open. The registry has checked consent. */
export async function saveAnswer(ctx: CoreContext, p: { personId: string; role: Role; check: MemberCheck; verdict: Verdict; comment?: string; timeZone: string }) {
  const now = ctx.clock.now();
  requireOpen(p.check, now, p.timeZone);
  const answer = { verdict: p.verdict, comment: p.comment ?? "" };
  return ctx.db.$transaction(async (tx) => {
    const existing = await tx.memberCheckResponse.findFirst({ where: { memberCheckId: p.check.id, personId: p.personId } });
    const saved = existing
      ? await tx.memberCheckResponse.update({ where: { id: existing.id }, data: { ...answer, updatedAt: now } })
      : await tx.memberCheckResponse.create({ data: { memberCheckId: p.check.id, personId: p.personId, role: p.role, ...answer, answeredAt: now, updatedAt: now } });
    await audit(tx, now, p.personId, existing ? "membercheck.answer.change" : "membercheck.answer", "MemberCheckResponse", saved.id);
    return saved;
  });
}

/**
 * What the evaluator sees: yes / partly / no / no reply by role under the small-group rule
 * (src/suppression.ts), and words, labelled by role only, from people who agreed to be quoted.
 */
export async function checkReport(ctx: CoreContext, check: MemberCheck, timeZone: string, view: { offset: number; canCode: boolean }): Promise<Parameters<typeof say.report>[0]> {
  const min = ctx.settings.minGroupSize;
  const responses = await ctx.db.memberCheckResponse.findMany({ where: { memberCheckId: check.id } });
  const asked = (await askedByCheck(ctx.db, [{ id: check.id, responses }])).get(check.id)!;
  const figures = checkBreakdown(asked, responses, min);
  const quotable = await peopleWhoMayBeQuoted(ctx.db, check.programmeId, responses.flatMap((r) => (r.personId ? [r.personId] : [])));
  const labelOf = answerLabeller(asked, min);
  const withWords = responses.filter((r) => r.comment);
  const quotes = withWords
    .filter((r) => r.personId && quotable.has(r.personId))
    .map((r) => ({ responseId: r.id, label: labelOf(r.role), verdict: r.verdict as Verdict, text: r.comment }));
  // Grouped by label ("Someone" last), not in the order people answered, so the order gives nobody away.
  const order = (label: string) => (label === SOMEONE ? ROLES.length : ROLES.findIndex((role) => ROLE_LABELS[role] === label));
  quotes.sort((a, b) => order(a.label) - order(b.label) || a.text.localeCompare(b.text));
  return {
    checkId: check.id,
    title: check.title,
    sentOn: check.sentAt ? formatDate(check.sentAt, timeZone) : "not yet",
    closes: check.closesAt ? formatDate(check.closesAt, timeZone) : undefined,
    rows: figures.byRole,
    all: figures.all,
    minGroupSize: min,
    quotes,
    notQuoted: withWords.length - quotes.length,
    ...view,
  };
}
