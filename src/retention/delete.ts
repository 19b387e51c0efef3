import type { Db, DbTx } from "../db/database.ts";
import { audit } from "../audit.ts";
import { lastActivity } from "./activity.ts";
import { inductionScope } from "../induction/index.ts";
import { retentionPlan } from "./rules.ts";

/** Thrown inside the deleting transaction when another run deleted the programme first: nothing it did is kept. */
class AlreadyDeleted extends Error {}

export type Deleted = { people: number };

/**
 * Deletes a programme and everything in it, in one transaction: answers and
 * deliveries, ideas with their history, updates and reactions, co-owned
 * actions, sessions and sign-ups, panels and debriefs, digests, time given,
 * consent records, memberships and channels (the database cascades these from
 * the programme), and what does not cascade: its messages in the outbox,
 * people's "stop these questions" for its series, and its audit rows. People
 * who were in no other programme are deleted too (names, chat accounts,
 * preferences). One audit row is kept: that the programme was deleted, when
 * and under which setting, with no person in it.
 */
export async function deleteProgramme(tx: DbTx, now: Date, programmeId: string, why: { months: number; lastActivity: Date }): Promise<Deleted> {
  const inProgramme = { programmeId };
  const [series, items, updates, actions, tasters, signups, panels, debriefs, memberships, checks, checkAnswers, sets] = await Promise.all([
    tx.promptSeries.findMany({ where: inProgramme, select: { id: true } }),
    tx.feedbackItem.findMany({ where: inProgramme, select: { id: true } }),
    tx.feedbackUpdate.findMany({ where: inProgramme, select: { id: true } }),
    tx.coOwnedAction.findMany({ where: inProgramme, select: { id: true } }),
    tx.taster.findMany({ where: inProgramme, select: { id: true } }),
    tx.tasterSignup.findMany({ where: { taster: inProgramme }, select: { id: true } }),
    tx.panel.findMany({ where: inProgramme, select: { id: true } }),
    tx.debriefResponse.findMany({ where: { panel: inProgramme }, select: { id: true } }),
    tx.membership.findMany({ where: inProgramme, select: { id: true, personId: true } }),
    tx.memberCheck.findMany({ where: inProgramme, select: { id: true } }),
    tx.memberCheckResponse.findMany({ where: { memberCheck: inProgramme }, select: { id: true } }),
    tx.learningSet.findMany({ where: inProgramme, select: { id: true } }),
  ]);
  const entityIds = [programmeId, ...[series, items, updates, actions, tasters, signups, panels, debriefs, memberships, checks, checkAnswers, sets].flat().map((r) => r.id)];

  // The claim: of two runs, the second waits for the first and then finds nothing to delete.
  const claimed = await tx.programme.deleteMany({ where: { id: programmeId } });
  if (claimed.count === 0) throw new AlreadyDeleted();

  await tx.outboxMessage.deleteMany({ where: inProgramme });
  await tx.messageOptOut.deleteMany({ where: { scope: { in: [...series.map((s) => `series:${s.id}`), inductionScope(programmeId)] } } });
  await tx.auditEntry.deleteMany({
    where: { OR: [{ entityId: { in: entityIds } }, { entity: "Person", detail: { path: ["programmeId"], equals: programmeId } }] },
  });

  // People left in no programme: nothing of theirs is needed any more.
  const memberIds = [...new Set(memberships.map((m) => m.personId))];
  const stillIn = new Set((await tx.membership.findMany({ where: { personId: { in: memberIds } }, select: { personId: true } })).map((m) => m.personId));
  const leaving = memberIds.filter((id) => !stillIn.has(id));
  if (leaving.length) {
    await tx.outboxMessage.deleteMany({ where: { personId: { in: leaving } } });
    await tx.auditEntry.deleteMany({ where: { OR: [{ actorId: { in: leaving } }, { entityId: { in: leaving } }] } });
    await tx.person.deleteMany({ where: { id: { in: leaving } } });
  }

  await audit(tx, now, null, "programme.retention.delete", "Programme", programmeId, {
    retentionMonths: why.months,
    lastActivity: why.lastActivity.toISOString().slice(0, 10),
    peopleDeleted: leaving.length,
  });
  return { people: leaving.length };
}

export type RetentionOutcome = { kind: "kept"; deleteAt: Date } | ({ kind: "deleted"; months: number } & Deleted) | { kind: "gone" };

/**
 * In one transaction: the programme's last activity, read again, and either
 * the day it becomes due (stored as its next check) or its deletion.
 */
export async function applyRetention(db: Db, now: Date, programmeId: string, defaultMonths: number): Promise<RetentionOutcome> {
  try {
    return await db.$transaction(async (tx) => {
      const programme = await tx.programme.findUnique({ where: { id: programmeId }, select: { retentionMonths: true } });
      if (!programme) return { kind: "gone" } as const;
      const months = programme.retentionMonths ?? defaultMonths;
      const last = await lastActivity(tx, programmeId);
      const plan = retentionPlan({ lastActivity: last, months, now });
      if (plan.kind === "keep") {
        await tx.programme.updateMany({ where: { id: programmeId }, data: { retentionCheckAt: plan.deleteAt } });
        return { kind: "kept", deleteAt: plan.deleteAt } as const;
      }
      const deleted = await deleteProgramme(tx, now, programmeId, { months, lastActivity: last });
      return { kind: "deleted", months, ...deleted } as const;
    });
  } catch (error) {
    if (error instanceof AlreadyDeleted) return { kind: "gone" };
    throw error;
  }
}
