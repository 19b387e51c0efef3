import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { recipients } from "../gate.ts";
import { enqueue, type Outgoing } from "../outbox.ts";
import type { Role } from "../roles.ts";
import { stepContent, type StepMessage } from "./content.ts";
import { dueStep, earliest, hadHistoryBefore, inductionScope, WINDOW_MS, type Sent } from "./rules.ts";

/**
 * The induction sweep: newcomers of the last two weeks, in programmes that had history before they joined, get
 * the step due for them (rules.ts), when the gate allows. Each step is claimed by inserting its InductionStep row
 * (unique per person, programme and step) in the transaction that queues it, so a second sweep or replica at
 * the same moment inserts nothing and sends nothing, and a missed tick is caught up on the next.
 */

const BATCH = 1000;

type Newcomer = { personId: string; programmeId: string; joinedAt: Date; role: Role };

export const outboxKey = (programmeId: string, personId: string, step: number) => `induction:${programmeId}:${personId}:${step}`;

export async function sweepInduction(ctx: CoreContext, now: Date): Promise<number> {
  const joined = await ctx.db.membership.findMany({
    where: { joinedAt: { gte: new Date(now.getTime() - WINDOW_MS), lte: now }, programme: { inductionOn: true } },
    select: { personId: true, programmeId: true, joinedAt: true, role: true },
    orderBy: { joinedAt: "asc" },
    take: BATCH,
  });
  const byProgramme = new Map<string, Newcomer[]>();
  for (const m of joined) byProgramme.set(m.programmeId, [...(byProgramme.get(m.programmeId) ?? []), m]);
  let claimed = 0;
  for (const [programmeId, members] of byProgramme) {
    const firstHistoryAt = await historyStart(ctx.db, programmeId, now);
    const late = members.filter((m) => hadHistoryBefore(firstHistoryAt, m.joinedAt));
    if (late.length) claimed += await sendDueSteps(ctx, now, programmeId, late);
  }
  return claimed;
}

/** When the programme first had something to catch up on: an idea, a "we did", questions sent, a taster or a panel. */
async function historyStart(db: DbTx, programmeId: string, now: Date): Promise<Date | null> {
  const [items, updates, occurrences, tasters, panels] = await Promise.all([
    db.feedbackItem.aggregate({ where: { programmeId }, _min: { createdAt: true } }),
    db.feedbackUpdate.aggregate({ where: { programmeId }, _min: { postedAt: true } }),
    db.promptOccurrence.aggregate({ where: { series: { programmeId }, scheduledFor: { lte: now } }, _min: { scheduledFor: true } }),
    db.taster.aggregate({ where: { programmeId }, _min: { createdAt: true } }),
    db.panel.aggregate({ where: { programmeId }, _min: { createdAt: true } }),
  ]);
  return earliest([items._min.createdAt, updates._min.postedAt, occurrences._min.scheduledFor, tasters._min.createdAt, panels._min.createdAt]);
}

async function sendDueSteps(ctx: CoreContext, now: Date, programmeId: string, members: Newcomer[]): Promise<number> {
  const ids = members.map((m) => m.personId);
  const [consents, steps] = await Promise.all([
    ctx.db.consentRecord.findMany({
      where: { programmeId, personId: { in: ids }, kind: "participation", granted: true },
      orderBy: { recordedAt: "asc" },
      select: { personId: true, recordedAt: true },
    }),
    ctx.db.inductionStep.findMany({ where: { programmeId, personId: { in: ids } }, select: { personId: true, step: true, sentAt: true } }),
  ]);
  const consentedAt = new Map<string, Date>();
  for (const c of consents) if (!consentedAt.has(c.personId)) consentedAt.set(c.personId, c.recordedAt);
  const sent = new Map<string, Sent[]>();
  for (const s of steps) sent.set(s.personId, [...(sent.get(s.personId) ?? []), s]);

  const dueByStep = new Map<number, Newcomer[]>();
  for (const m of members) {
    const step = dueStep({ joinedAt: m.joinedAt, consentedAt: consentedAt.get(m.personId) ?? null, sent: sent.get(m.personId) ?? [], now });
    if (step !== null) dueByStep.set(step, [...(dueByStep.get(step) ?? []), m]);
  }
  let claimed = 0;
  for (const [step, due] of dueByStep) {
    claimed += await ctx.db.$transaction((tx) => claimAndQueue(tx, now, programmeId, step, due));
  }
  return claimed;
}

async function claimAndQueue(tx: DbTx, now: Date, programmeId: string, step: number, due: Newcomer[]): Promise<number> {
  const decisions = await recipients(tx, now, { kind: "induction", programmeId, personIds: due.map((m) => m.personId), scope: inductionScope(programmeId) });
  const roleOf = new Map(due.map((m) => [m.personId, m.role]));
  let content: StepMessage | null = null;
  const items: Outgoing[] = [];
  for (const [personId, decision] of decisions) {
    if (!decision.send) continue;
    const made = await tx.inductionStep.createMany({ data: [{ personId, programmeId, step, sentAt: decision.at }], skipDuplicates: true });
    if (made.count === 0) continue; // another sweep has it
    content ??= await stepContent(tx, now, programmeId, step);
    items.push({
      key: outboxKey(programmeId, personId, step),
      purpose: "induction.step",
      personId,
      programmeId,
      notBefore: decision.at,
      message: content(roleOf.get(personId)!, decision.timeZone),
    });
  }
  await enqueue(tx, now, ...items);
  return items.length;
}
