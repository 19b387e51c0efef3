import { randomBytes, randomInt } from "node:crypto";
import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { askedByRole } from "./answers.ts";
import { rolesThatMayShow } from "./rules.ts";

const BATCH = 50;

/** A fresh random key: it is made from nothing, so nobody can make it again. */
const randomKey = () => randomBytes(32).toString("hex");

/** Fisher-Yates with crypto randomness, so the new row order says nothing of the old one. */
function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Seals one closed occurrence's anonymous answers. Until now the person could
 * find and change their answers, because the service can recompute their key
 * from the answer secret. From now on nobody can: each person's answers get
 * one new random key (so answers given together stay together, for counting
 * people), the role is checked again against who was actually sent the
 * questions, and the rows are written again in a random order in one
 * transaction, so neither their order nor their transaction says when each
 * was given. Row ids stay, as "you said" items made from an answer point at them.
 */
async function sealAnonymous(ctx: CoreContext, tx: DbTx, occurrenceId: string): Promise<number> {
  const rows = await tx.promptResponse.findMany({ where: { occurrenceId } });
  if (rows.length === 0) return 0;
  const mayShow = rolesThatMayShow(await askedByRole(tx, occurrenceId, "sent"), ctx.settings.minGroupSize);
  const newKey = new Map([...new Set(rows.map((r) => r.responseKey))].map((key) => [key, randomKey()]));
  await tx.promptResponse.deleteMany({ where: { occurrenceId } });
  await tx.promptResponse.createMany({
    data: shuffled(rows).map((r) => ({
      ...r,
      responseKey: newKey.get(r.responseKey)!,
      role: r.role && mayShow.has(r.role) ? r.role : null,
      updatedAt: r.answeredAt,
    })),
  });
  return rows.length;
}

/**
 * Seals occurrences whose questions have closed: claimed with a conditional
 * update, so two instances never seal the same one twice. Named series have
 * nothing to seal (their answers carry the person), but are marked all the same.
 */
export async function sweepClosed(ctx: CoreContext, now: Date): Promise<number> {
  const due = await ctx.db.promptOccurrence.findMany({
    where: { sealedAt: null, closesAt: { lte: now } },
    orderBy: { closesAt: "asc" },
    take: BATCH,
    include: { series: { select: { anonymous: true } } },
  });
  let handled = 0;
  for (const occurrence of due) {
    handled += await ctx.db.$transaction(async (tx) => {
      const claim = await tx.promptOccurrence.updateMany({ where: { id: occurrence.id, sealedAt: null }, data: { sealedAt: now } });
      if (claim.count === 0) return 0;
      if (occurrence.series.anonymous) await sealAnonymous(ctx, tx, occurrence.id);
      return 1;
    });
  }
  return handled;
}
