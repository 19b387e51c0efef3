import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { recipients } from "../gate.ts";
import { enqueue, type Outgoing } from "../outbox.ts";
import { stepContent, type StepMessage } from "./content.ts";
import { newcomersSince, type Newcomer } from "./newcomers.ts";
import { dueStep, inductionScope, WINDOW_MS } from "./rules.ts";

/**
 * The induction sweep: newcomers of the last two weeks, in programmes that had history before they joined, get
 * the step due for them (rules.ts), when the gate allows. Each step is claimed by inserting its InductionStep row
 * (unique per person, programme and step) in the transaction that queues it, so a second sweep or replica at
 * the same moment inserts nothing and sends nothing, and a missed tick is caught up on the next.
 */

const BATCH = 1000;

export const outboxKey = (programmeId: string, personId: string, step: number) => `induction:${programmeId}:${personId}:${step}`;

export async function sweepInduction(ctx: CoreContext, now: Date): Promise<number> {
  const newcomers = await newcomersSince(ctx.db, new Date(now.getTime() - WINDOW_MS), now, BATCH);
  // Grouped by programme and step: one gate call and one reading of the step's content for each.
  const due = new Map<string, { programmeId: string; step: number; people: Newcomer[] }>();
  for (const n of newcomers) {
    const sent = n.lastStep === null || !n.lastSentAt ? [] : [{ step: n.lastStep, sentAt: n.lastSentAt }];
    const step = dueStep({ joinedAt: n.joinedAt, consentedAt: n.consentedAt, sent, now });
    if (step === null) continue;
    const key = `${n.programmeId}:${step}`;
    const group = due.get(key) ?? { programmeId: n.programmeId, step, people: [] };
    group.people.push(n);
    due.set(key, group);
  }
  let claimed = 0;
  for (const { programmeId, step, people } of due.values()) {
    claimed += await ctx.db.$transaction((tx) => claimAndQueue(tx, now, programmeId, step, people));
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
