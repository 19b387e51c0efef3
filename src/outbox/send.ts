import type { CoreContext } from "../context.ts";
import type { Message } from "../messages/model.ts";
import type { MessageRef, SendResult, Target } from "../messenger.ts";
import { MINUTE } from "../clock.ts";
import { recordIfHeld, type Claimed, type Row } from "./claims.ts";
import type { SentBatch } from "./sent-batch.ts";

/** One sender's count of what it did. `fenced`: results it had, but another sender held the row by then. */
export type DispatchReport = { sent: number; retried: number; unreachable: number; failed: number; withheld: number; fenced: number };

export function emptyReport(): DispatchReport {
  return { sent: 0, retried: 0, unreachable: 0, failed: 0, withheld: 0, fenced: 0 };
}

type Identity = Awaited<ReturnType<CoreContext["db"]["platformIdentity"]["findMany"]>>[number] & { paused: boolean };
export type Identities = Map<string, Identity>;

/** The identity to reach each person at (reachable first, then the one seen most recently), and whether they have paused. */
export async function identitiesFor(ctx: CoreContext, rows: Row[]): Promise<Identities> {
  const personIds = [...new Set(rows.map((r) => r.personId).filter((id): id is string => Boolean(id)))];
  if (personIds.length === 0) return new Map();
  const all = await ctx.db.platformIdentity.findMany({
    where: { personId: { in: personIds }, person: { erasedAt: null } },
    orderBy: [{ reachable: "desc" }, { lastSeenAt: "desc" }],
    include: { person: { select: { preference: { select: { pausedAt: true } } } } },
  });
  const best: Identities = new Map();
  for (const { person, ...identity } of all) {
    if (!best.has(identity.personId)) best.set(identity.personId, { ...identity, paused: Boolean(person.preference?.pausedAt) });
  }
  return best;
}

/** The platform call for one row: a new message, or an update of one already sent. Never throws. */
export async function sendOne(ctx: CoreContext, row: Claimed, identities: Identities): Promise<SendResult> {
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
    return await ctx.messenger.send(target.target, message, { key: row.key, ambiguous: row.ambiguous });
  } catch (error) {
    return { ok: false, kind: "retry", detail: error instanceof Error ? error.message : String(error) };
  }
}

async function resolveTarget(ctx: CoreContext, row: Row, identities: Identities): Promise<{ ok: true; target: Target } | { ok: false; result: SendResult }> {
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

function backoffMs(attempts: number, firstMs: number): number {
  // 30 s, 1 min, 2 min ... (by default) capped at an hour, with jitter so retries spread out.
  const base = Math.min(60 * MINUTE, firstMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** Holds back a message for a person who paused after it was queued. */
export async function withhold(ctx: CoreContext, row: Claimed, report: DispatchReport): Promise<void> {
  if (await recordIfHeld(ctx, row, { status: "withheld", lastError: "the person has paused messages" })) report.withheld++;
  else report.fenced++;
}

/**
 * Writes the outcome of a send, if this sender still holds the row; a later
 * sender's word stands otherwise. Successes go into `sent`, written in batches.
 */
export async function recordOutcome(ctx: CoreContext, row: Claimed, outcome: SendResult, report: DispatchReport, sent: SentBatch): Promise<void> {
  const now = ctx.clock.now();
  const attempts = row.attempts; // already counted when the row was claimed
  if (outcome.ok) {
    if (await sent.add(row, outcome.ref as object)) report.sent++;
    else fenced(ctx, row, report, "sent");
    return;
  }
  // Being told to wait is not a failure: it does not use up an attempt, and the wait is the one asked for.
  const throttled = outcome.kind === "retry" && outcome.throttled === true;
  if (outcome.kind === "retry" && (throttled || attempts < ctx.settings.maxSendAttempts)) {
    const wait = throttled ? (outcome.retryAfterMs ?? 30_000) + Math.round(Math.random() * 2_000) : Math.max(outcome.retryAfterMs ?? 0, backoffMs(attempts, ctx.settings.outboxRetryMs));
    // An unanswered call, or an earlier one never settled: the next attempt is ambiguous too (claimedAt kept, see claims.ts).
    const stillAmbiguous = row.ambiguous || (outcome.kind === "retry" && outcome.uncertain === true);
    const held = await recordIfHeld(ctx, row, {
      status: "pending",
      ...(stillAmbiguous ? {} : { claimedAt: null }),
      nextAttemptAt: new Date(now.getTime() + wait),
      lastError: outcome.detail,
      ...(throttled ? { attempts: { decrement: 1 } } : {}),
    });
    if (held) report.retried++;
    else fenced(ctx, row, report, "retry");
    return;
  }
  const status = outcome.kind === "unreachable" ? "unreachable" : "failed";
  if (!(await recordIfHeld(ctx, row, { status, lastError: outcome.detail }))) return fenced(ctx, row, report, status);
  report[status]++;
  if (status === "unreachable" && row.personId) {
    await ctx.db.platformIdentity.updateMany({
      where: { personId: row.personId },
      data: { reachable: false, unreachableReason: outcome.detail },
    });
  }
  ctx.log.warn(`could not deliver a message (${row.purpose})`, { key: row.key, status, detail: outcome.detail });
}

function fenced(ctx: CoreContext, row: Claimed, report: DispatchReport, outcome: string): void {
  report.fenced++;
  ctx.log.warn("a late send result was ignored: another sender had taken the message after this one's lease ran out", { key: row.key, outcome });
}
