import type { CoreContext } from "./context.ts";
import type { DbTx } from "./db/database.ts";
import type { Message } from "./messages/model.ts";
import type { MessageRef, SendResult, Target } from "./messenger.ts";
import { MINUTE } from "./clock.ts";

/**
 * Every outbound message is first written to the outbox, in the same
 * transaction as the change that causes it, under a deterministic key: the
 * same key twice is a no-op, so a repeated tick or a retried request cannot
 * send twice, and a crash before sending loses nothing.
 */
export type Outgoing = {
  key: string;
  purpose: string;
  message: Message;
  programmeId?: string;
  notBefore?: Date;
} & ({ personId: string } | { channelId: string } | { replaceKey: string });

export async function enqueue(tx: DbTx, now: Date, ...items: Outgoing[]): Promise<void> {
  if (items.length === 0) return;
  await tx.outboxMessage.createMany({
    skipDuplicates: true,
    data: items.map((item) => ({
      key: item.key,
      purpose: item.purpose,
      message: item.message as object,
      programmeId: item.programmeId ?? null,
      personId: "personId" in item ? item.personId : null,
      channelId: "channelId" in item ? item.channelId : null,
      replaceRef: "replaceKey" in item ? { key: item.replaceKey } : undefined,
      nextAttemptAt: item.notBefore ?? now,
    })),
  });
}

export type DispatchReport = { sent: number; retried: number; unreachable: number; failed: number; withheld: number };

const CLAIM_LEASE_MS = 5 * MINUTE;
const BATCH = 50;

/**
 * Sends what is due, in bounded batches. Each row is claimed first
 * (pending -> sending with a lease) so two dispatchers never send one row.
 * A row left "sending" by a crash is retried once its lease runs out.
 */
export async function dispatchOutbox(ctx: CoreContext, limit = 5000): Promise<DispatchReport> {
  const report: DispatchReport = { sent: 0, retried: 0, unreachable: 0, failed: 0, withheld: 0 };
  let handled = 0;
  while (handled < limit) {
    const now = ctx.clock.now();
    const dueNow = {
      OR: [
        { status: "pending", nextAttemptAt: { lte: now } },
        { status: "sending", claimedAt: { lt: new Date(now.getTime() - CLAIM_LEASE_MS) } },
      ],
    };
    const due = await ctx.db.outboxMessage.findMany({
      where: dueNow,
      orderBy: [{ nextAttemptAt: "asc" }, { createdAt: "asc" }],
      select: { id: true },
      take: Math.min(BATCH, limit - handled),
    });
    if (due.length === 0) break;
    handled += due.length;
    // One statement claims the batch; a row another dispatcher claimed first is
    // no longer due, so it is simply not returned here.
    const claimed = await ctx.db.outboxMessage.updateManyAndReturn({
      where: { id: { in: due.map((d) => d.id) }, ...dueNow },
      data: { status: "sending", claimedAt: now, attempts: { increment: 1 } },
    });
    const order = new Map(due.map((d, i) => [d.id, i]));
    claimed.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    const identities = await identitiesFor(ctx, claimed);
    for (const row of claimed) {
      // Queued before the person paused (say, for the end of their quiet hours): a pause stops it too.
      if (row.personId && identities.get(row.personId)?.paused) {
        report.withheld++;
        await ctx.db.outboxMessage.update({ where: { id: row.id }, data: { status: "withheld", lastError: "the person has paused messages" } });
        continue;
      }
      const outcome = await sendOne(ctx, row, identities);
      await recordOutcome(ctx, row, outcome, report);
    }
  }
  return report;
}

type Row = Awaited<ReturnType<CoreContext["db"]["outboxMessage"]["findMany"]>>[number];

type Identity = Awaited<ReturnType<CoreContext["db"]["platformIdentity"]["findMany"]>>[number] & { paused: boolean };

/** The identity to reach each person in the batch at (reachable first, then the one seen most recently), and whether they have paused. */
async function identitiesFor(ctx: CoreContext, rows: Row[]): Promise<Map<string, Identity>> {
  const personIds = [...new Set(rows.map((r) => r.personId).filter((id): id is string => Boolean(id)))];
  if (personIds.length === 0) return new Map();
  const all = await ctx.db.platformIdentity.findMany({
    where: { personId: { in: personIds }, person: { erasedAt: null } },
    orderBy: [{ reachable: "desc" }, { lastSeenAt: "desc" }],
    include: { person: { select: { preference: { select: { pausedAt: true } } } } },
  });
  const best = new Map<string, Identity>();
  for (const { person, ...identity } of all) {
    if (!best.has(identity.personId)) best.set(identity.personId, { ...identity, paused: Boolean(person.preference?.pausedAt) });
  }
  return best;
}

async function sendOne(ctx: CoreContext, row: Row, identities: Map<string, Identity>): Promise<SendResult> {
  try {
    const message = row.message as unknown as Message;
    const replaceKey = (row.replaceRef as { key?: string } | null)?.key;
    if (replaceKey) {
      const original = await ctx.db.outboxMessage.findUnique({ where: { key: replaceKey } });
      if (!original?.resultRef) {
        return original && original.status !== "unreachable" && original.status !== "failed"
          ? { ok: false, kind: "retry", detail: "the original message has not been sent yet", retryAfterMs: MINUTE }
          : { ok: false, kind: "failed", detail: "there is no sent message to update" };
      }
      return await ctx.messenger.update(original.resultRef as MessageRef, message);
    }
    const target = await resolveTarget(ctx, row, identities);
    if (!target.ok) return target.result;
    return await ctx.messenger.send(target.target, message);
  } catch (error) {
    return { ok: false, kind: "retry", detail: error instanceof Error ? error.message : String(error) };
  }
}

async function resolveTarget(ctx: CoreContext, row: Row, identities: Map<string, Identity>): Promise<{ ok: true; target: Target } | { ok: false; result: SendResult }> {
  if (row.channelId) {
    const channel = await ctx.db.programmeChannel.findUnique({ where: { id: row.channelId } });
    if (!channel) return { ok: false, result: { ok: false, kind: "failed", detail: "the channel is no longer linked" } };
    return { ok: true, target: { kind: "channel", platform: channel.platform as Target["platform"], externalId: channel.externalId, address: channel.address ?? undefined } };
  }
  const identity = row.personId ? identities.get(row.personId) : undefined;
  if (!identity) return { ok: false, result: { ok: false, kind: "unreachable", detail: "this person has no chat account linked" } };
  return {
    ok: true,
    target: { kind: "direct", platform: identity.platform as Target["platform"], externalId: identity.externalId, address: identity.address ?? undefined },
  };
}

function backoffMs(attempts: number): number {
  // 30 s, 1 min, 2 min ... capped at an hour, with jitter so retries spread out.
  const base = Math.min(60 * MINUTE, 30_000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

async function recordOutcome(ctx: CoreContext, row: Row, outcome: SendResult, report: DispatchReport): Promise<void> {
  const now = ctx.clock.now();
  const attempts = row.attempts; // already counted when the row was claimed
  if (outcome.ok) {
    report.sent++;
    await ctx.db.outboxMessage.update({ where: { id: row.id }, data: { status: "sent", sentAt: now, resultRef: outcome.ref as object, lastError: null } });
    return;
  }
  if (outcome.kind === "retry" && attempts < ctx.settings.maxSendAttempts) {
    report.retried++;
    const wait = Math.max(outcome.retryAfterMs ?? 0, backoffMs(attempts));
    await ctx.db.outboxMessage.update({
      where: { id: row.id },
      data: { status: "pending", claimedAt: null, nextAttemptAt: new Date(now.getTime() + wait), lastError: outcome.detail },
    });
    return;
  }
  const status = outcome.kind === "unreachable" ? "unreachable" : "failed";
  report[status]++;
  await ctx.db.outboxMessage.update({ where: { id: row.id }, data: { status, lastError: outcome.detail } });
  if (status === "unreachable" && row.personId) {
    await ctx.db.platformIdentity.updateMany({
      where: { personId: row.personId },
      data: { reachable: false, unreachableReason: outcome.detail },
    });
  }
  ctx.log.warn(`could not deliver a message (${row.purpose})`, { key: row.key, status, detail: outcome.detail });
}
