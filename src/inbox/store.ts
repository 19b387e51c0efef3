import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { CoreContext } from "../context.ts";
import type { ParsedInteraction, Reply } from "../interactions.ts";
import type { Prisma } from "../generated/prisma/client.ts";

/**
 * Rows of the durable inbox (model InboxItem). One insert is all an
 * acknowledgement waits for; claiming, keeping the reply and finishing are
 * the worker's (worker.ts). Claims follow src/outbox/claims.ts: one statement
 * with FOR UPDATE SKIP LOCKED, a claim token, and changes made only while the
 * row still carries that token (fencing).
 */

export type InboxRow = Awaited<ReturnType<CoreContext["db"]["inboxItem"]["findMany"]>>[number];
export type ClaimedRow = InboxRow & { claimToken: string };

/** The insert could not be committed before the platform's deadline: nothing was stored. */
export class InboxDeadlineError extends Error {}

/**
 * Inserts one interaction. With a deadline (real milliseconds from now) the
 * insert runs in a transaction that is rolled back if it cannot commit in
 * time, so a platform told "failed" never has its interaction acted on later.
 */
export async function insertItem(ctx: CoreContext, interaction: ParsedInteraction, followUp: unknown, deadlineMs?: number): Promise<string> {
  const id = randomUUID();
  const data: Prisma.InboxItemCreateInput = {
    id,
    platform: interaction.platform,
    interaction: interaction as unknown as Prisma.InputJsonValue,
    ...(followUp === undefined ? {} : { followUp: followUp as Prisma.InputJsonValue }),
    receivedAt: ctx.clock.now(),
  };
  if (deadlineMs === undefined) {
    await ctx.db.inboxItem.create({ data, select: { id: true } });
    return id;
  }
  const endsAt = performance.now() + deadlineMs;
  const budget = Math.max(1, Math.floor(deadlineMs));
  try {
    await ctx.db.$transaction(
      async (tx) => {
        await tx.inboxItem.create({ data, select: { id: true } });
        if (performance.now() > endsAt) throw new InboxDeadlineError("the inbox insert finished after the deadline");
      },
      { maxWait: budget, timeout: budget },
    );
  } catch (error) {
    if (error instanceof InboxDeadlineError) throw error;
    if (performance.now() >= endsAt) throw new InboxDeadlineError(`the inbox insert did not finish in ${deadlineMs} ms`, { cause: error });
    throw error;
  }
  return id;
}

/** Claims one row by id (the accepting process, at once); null when another worker has it or it is gone. */
export async function claimItem(ctx: CoreContext, id: string, leaseMs: number): Promise<ClaimedRow | null> {
  const now = ctx.clock.now();
  const rows = await ctx.db.$queryRaw<{ id: string }[]>`
    UPDATE "InboxItem"
       SET "status" = CASE WHEN "status" = 'answered' THEN 'answered' ELSE 'working' END,
           "claimToken" = gen_random_uuid()::text, "leaseUntil" = ${new Date(now.getTime() + leaseMs)}, "attempts" = "attempts" + 1
     WHERE "id" = ${id}
       AND ("status" = 'pending' OR "leaseUntil" IS NULL OR "leaseUntil" < ${now})
    RETURNING "id"`;
  if (rows.length === 0) return null;
  const row = await ctx.db.inboxItem.findUnique({ where: { id } });
  return row && row.claimToken ? (row as ClaimedRow) : null;
}

/**
 * Claims rows nobody is handling: pending for longer than `graceMs` (the
 * process that accepted them died before it started), or claimed by a worker
 * whose lease has run out.
 */
export async function claimDue(ctx: CoreContext, take: number, leaseMs: number, graceMs: number): Promise<ClaimedRow[]> {
  const now = ctx.clock.now();
  const taken = await ctx.db.$queryRaw<{ id: string }[]>`
    UPDATE "InboxItem"
       SET "status" = CASE WHEN "status" = 'answered' THEN 'answered' ELSE 'working' END,
           "claimToken" = gen_random_uuid()::text, "leaseUntil" = ${new Date(now.getTime() + leaseMs)}, "attempts" = "attempts" + 1
     WHERE "id" IN (
       SELECT "id" FROM "InboxItem"
        WHERE ("status" = 'pending' AND "receivedAt" <= ${new Date(now.getTime() - graceMs)})
           OR ("status" <> 'pending' AND ("leaseUntil" IS NULL OR "leaseUntil" < ${now}))
        ORDER BY "receivedAt"
        LIMIT ${take}
        FOR UPDATE SKIP LOCKED)
    RETURNING "id"`;
  if (taken.length === 0) return [];
  const rows = await ctx.db.inboxItem.findMany({ where: { id: { in: taken.map((t) => t.id) } }, orderBy: { receivedAt: "asc" } });
  return rows.filter((row): row is ClaimedRow => row.claimToken !== null);
}

/** Keeps the reply with the row, so that a crash before it is shown shows it after the restart instead of acting again. */
export async function keepReply(ctx: CoreContext, row: ClaimedRow, reply: Reply): Promise<boolean> {
  const { count } = await ctx.db.inboxItem.updateMany({
    where: { id: row.id, claimToken: row.claimToken },
    data: { status: "answered", reply: reply as unknown as Prisma.InputJsonValue },
  });
  return count === 1;
}

/** Done: the row goes, if this worker still holds it. */
export async function finishItem(ctx: CoreContext, row: ClaimedRow): Promise<void> {
  await ctx.db.inboxItem.deleteMany({ where: { id: row.id, claimToken: row.claimToken } });
}
