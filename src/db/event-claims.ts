import type { CoreContext } from "../context.ts";
import type { Sweep } from "../interactions.ts";

/**
 * Each platform event is handled once, however many times and on however many
 * replicas it arrives (Slack retries, Teams redeliveries, a replayed slash command).
 *
 * Claim first: the event's key is inserted before anything else happens, and
 * the primary key lets only one insert win. We do not put the key in the same
 * transaction as the action's writes, because actions open several transactions
 * of their own (and Prisma cannot nest them). So the claim row has a status:
 * - "working": inserted by the one request that runs the action; every other
 *   delivery is answered as a duplicate;
 * - "done": the action ran (or refused with a final answer, like "you are not a member");
 * - no row: the action failed unexpectedly and the claim was released, so a
 *   redelivery runs it again.
 * A crash (the process killed mid-action) leaves "working": once the claim is
 * older than CLAIM_LEASE_MS, a redelivery takes it over (one takeover wins,
 * by a conditional update) and runs the action again.
 */
export const CLAIM_LEASE_MS = 2 * 60 * 1000;
/** How long handled events are remembered. Slack retries within the hour, slash commands only count for 5 minutes. */
export const EVENT_RETENTION_MS = 3 * 24 * 60 * 60 * 1000;
const SWEEP_BATCH = 1000;

export type Claim = "ours" | "taken";

/** Claims the event for this request, or says another request has it (or had it). */
export async function claimEvent(ctx: CoreContext, key: string): Promise<Claim> {
  const now = ctx.clock.now();
  const inserted = await ctx.db.processedEvent.createMany({ data: [{ key, status: "working", processedAt: now }], skipDuplicates: true });
  if (inserted.count === 1) return "ours";
  // A claim left "working" by a crash is taken over after its lease; only one takeover matches.
  const takenOver = await ctx.db.processedEvent.updateMany({
    where: { key, status: "working", processedAt: { lt: new Date(now.getTime() - CLAIM_LEASE_MS) } },
    data: { processedAt: now },
  });
  return takenOver.count === 1 ? "ours" : "taken";
}

/** The action ran, or gave its final answer: redeliveries are duplicates from now on. */
export async function finishEvent(ctx: CoreContext, key: string): Promise<void> {
  await ctx.db.processedEvent.updateMany({ where: { key }, data: { status: "done", processedAt: ctx.clock.now() } });
}

/** The action failed unexpectedly: the next delivery of the event tries again. */
export async function releaseEvent(ctx: CoreContext, key: string): Promise<void> {
  await ctx.db.processedEvent.deleteMany({ where: { key, status: "working" } });
}

/** Forgets handled events past the retention window, in batches. */
export const sweepProcessedEvents: Sweep = {
  name: "events.forget",
  async run(ctx, now) {
    const old = await ctx.db.processedEvent.findMany({
      where: { processedAt: { lt: new Date(now.getTime() - EVENT_RETENTION_MS) } },
      select: { key: true },
      take: SWEEP_BATCH,
    });
    if (old.length === 0) return 0;
    return (await ctx.db.processedEvent.deleteMany({ where: { key: { in: old.map((row) => row.key) } } })).count;
  },
};
