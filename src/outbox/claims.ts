import type { CoreContext } from "../context.ts";
import type { Prisma } from "../generated/prisma/client.ts";

/**
 * Claims on outbox rows. A sender takes due rows with one statement
 * (`FOR UPDATE SKIP LOCKED`: two senders never wait for each other, and never
 * take the same row), gives each a new claim token and a short lease, extends
 * the lease while it works, and records a result only while the row still
 * carries its token. A sender that stalls past its lease loses the row to the
 * next one, and whatever it says afterwards changes nothing (fencing).
 */

export type Row = Awaited<ReturnType<CoreContext["db"]["outboxMessage"]["findMany"]>>[number];
export type Claimed = Row & { claimToken: string };

/** Due: waiting and its time has come, or claimed by a sender whose lease has run out. */
export async function claimDue(ctx: CoreContext, take: number, leaseMs: number): Promise<Claimed[]> {
  const now = ctx.clock.now();
  const leaseUntil = new Date(now.getTime() + leaseMs);
  // Prisma cannot say SKIP LOCKED; the statement is plain PostgreSQL (PGlite runs the same).
  const taken = await ctx.db.$queryRaw<{ id: string }[]>`
    UPDATE "OutboxMessage"
       SET "status" = 'sending', "claimToken" = gen_random_uuid()::text, "claimedAt" = ${now},
           "leaseUntil" = ${leaseUntil}, "attempts" = "attempts" + 1
     WHERE "id" IN (
       SELECT "id" FROM "OutboxMessage"
        WHERE ("status" = 'pending' AND "nextAttemptAt" <= ${now})
           OR ("status" = 'sending' AND ("leaseUntil" IS NULL OR "leaseUntil" < ${now}))
        ORDER BY "nextAttemptAt", "createdAt"
        LIMIT ${take}
        FOR UPDATE SKIP LOCKED)
    RETURNING "id"`;
  if (taken.length === 0) return [];
  const rows = await ctx.db.outboxMessage.findMany({
    where: { id: { in: taken.map((t) => t.id) }, status: "sending" },
    orderBy: [{ nextAttemptAt: "asc" }, { createdAt: "asc" }],
  });
  return rows.filter((row): row is Claimed => row.claimToken !== null);
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
