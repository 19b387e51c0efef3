import type { CoreContext } from "../context.ts";
import type { Prisma } from "../generated/prisma/client.ts";

/**
 * Claims on outbox rows. A sender takes due rows with one statement
 * (`FOR UPDATE SKIP LOCKED`: two senders never wait for each other, and never
 * take the same row), gives each a new claim token and a short lease, extends
 * the lease while it works, and records a result only while the row still
 * carries its token. A sender that stalls past its lease loses the row to the
 * next one, and whatever it says afterwards changes nothing (fencing).
 *
 * A row is *ambiguous* when an earlier attempt may have reached the platform
 * without our hearing back: its lease ran out while it was being sent, or its
 * call went unanswered (the row went back to waiting with `claimedAt` kept;
 * a clear answer clears it). The adapter is told, so it can look before
 * sending again (see the Messenger port).
 */

export type Row = Awaited<ReturnType<CoreContext["db"]["outboxMessage"]["findMany"]>>[number];
export type Claimed = Row & { claimToken: string; ambiguous: boolean };

/** Due: waiting and its time has come, or claimed by a sender whose lease has run out. */
export async function claimDue(ctx: CoreContext, take: number, leaseMs: number): Promise<Claimed[]> {
  const now = ctx.clock.now();
  const leaseUntil = new Date(now.getTime() + leaseMs);
  // Prisma cannot say SKIP LOCKED; the statement is plain PostgreSQL (PGlite runs the same).
  const taken = await ctx.db.$queryRaw<{ id: string; ambiguous: boolean }[]>`
    WITH due AS (
      SELECT "id", ("status" = 'sending' OR "claimedAt" IS NOT NULL) AS "ambiguous"
        FROM "OutboxMessage"
       WHERE ("status" = 'pending' AND "nextAttemptAt" <= ${now})
          OR ("status" = 'sending' AND ("leaseUntil" IS NULL OR "leaseUntil" < ${now}))
       ORDER BY "nextAttemptAt", "createdAt"
       LIMIT ${take}
       FOR UPDATE SKIP LOCKED)
    UPDATE "OutboxMessage" AS o
       SET "status" = 'sending', "claimToken" = gen_random_uuid()::text, "claimedAt" = ${now},
           "leaseUntil" = ${leaseUntil}, "attempts" = o."attempts" + 1
      FROM due
     WHERE o."id" = due."id"
    RETURNING o."id", due."ambiguous"`;
  if (taken.length === 0) return [];
  const ambiguous = new Map(taken.map((t) => [t.id, t.ambiguous]));
  const rows = await ctx.db.outboxMessage.findMany({
    where: { id: { in: taken.map((t) => t.id) }, status: "sending" },
    orderBy: [{ nextAttemptAt: "asc" }, { createdAt: "asc" }],
  });
  return rows.filter((row) => row.claimToken !== null).map((row) => ({ ...row, claimToken: row.claimToken!, ambiguous: ambiguous.get(row.id) === true }));
}

/**
 * Records what happened to a claimed row, only if this sender still holds it.
 * False: another sender took it after the lease ran out, and its word stands.
 */
export async function recordIfHeld(ctx: CoreContext, row: Claimed, data: Prisma.OutboxMessageUpdateManyMutationInput): Promise<boolean> {
  const { count } = await ctx.db.outboxMessage.updateMany({
    where: { id: row.id, status: "sending", claimToken: row.claimToken },
    data: { ...data, claimToken: null, leaseUntil: null },
  });
  return count === 1;
}

/**
 * Marks many rows sent in one statement, each only while this sender still
 * holds it (the same fencing as `recordIfHeld`). Returns the ids recorded;
 * any other was taken by another sender, whose word stands.
 */
export async function recordSentIfHeld(ctx: CoreContext, sent: { row: Claimed; ref: object }[], at: Date): Promise<Set<string>> {
  if (sent.length === 0) return new Set();
  const values = JSON.stringify(sent.map(({ row, ref }) => ({ id: row.id, token: row.claimToken, ref })));
  const recorded = await ctx.db.$queryRaw<{ id: string }[]>`
    UPDATE "OutboxMessage" AS o
       SET "status" = 'sent', "sentAt" = ${at}, "resultRef" = v."ref", "lastError" = NULL, "claimToken" = NULL, "leaseUntil" = NULL
      FROM jsonb_to_recordset(${values}::jsonb) AS v("id" text, "token" text, "ref" jsonb)
     WHERE o."id" = v."id" AND o."claimToken" = v."token" AND o."status" = 'sending'
    RETURNING o."id"`;
  return new Set(recorded.map((r) => r.id));
}

/** Extends the leases of the rows this sender still holds (one statement for all of them). */
export async function extendLeases(ctx: CoreContext, tokens: string[], leaseMs: number): Promise<void> {
  if (tokens.length === 0) return;
  await ctx.db.outboxMessage.updateMany({
    where: { claimToken: { in: tokens }, status: "sending" },
    data: { leaseUntil: new Date(ctx.clock.now().getTime() + leaseMs) },
  });
}

/**
 * What keeps leases alive: calls `beat` every so often until stopped. The
 * default is a real-time interval; tests pass one they fire by hand.
 */
export type Heartbeat = (beat: () => Promise<void>) => { stop(): void };

export function intervalHeartbeat(everyMs: number): Heartbeat {
  return (beat) => {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      void beat().finally(() => (running = false));
    }, everyMs);
    timer.unref?.();
    return { stop: () => clearInterval(timer) };
  };
}
