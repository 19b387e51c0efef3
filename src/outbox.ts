import type { CoreContext } from "./context.ts";
import type { DbTx } from "./db/database.ts";
import type { Message } from "./messages/model.ts";
import { MINUTE } from "./clock.ts";
import { claimDue, extendLeases, intervalHeartbeat, type Claimed, type Heartbeat } from "./outbox/claims.ts";
import { SentBatch } from "./outbox/sent-batch.ts";
import { emptyReport, identitiesFor, recordOutcome, sendOne, withhold, type DispatchReport, type Identities } from "./outbox/send.ts";

export type { DispatchReport } from "./outbox/send.ts";
export type { Heartbeat } from "./outbox/claims.ts";

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

export type DispatchOptions = {
  /** Rows this run takes at most. */
  limit?: number;
  /** Sends under way at once: one slow or hung call holds one of them, never the rest. */
  concurrency?: number;
  /** How long a claim lasts unless its sender extends it (by the core's clock). */
  leaseMs?: number;
  /** What extends the leases while sends are under way (every third of the lease, in real time, by default). */
  heartbeat?: Heartbeat;
  /**
   * A send with no answer after this long stops holding a place and its lease is
   * no longer extended, so another sender may take the row once the lease runs
   * out. Its answer, if it ever comes, still counts while the row is held.
   * Longer than every adapter's own timeouts: this is the last line.
   */
  sendTimeoutMs?: number;
};

export const OUTBOX_DEFAULTS = { limit: 5000, concurrency: 8, leaseMs: MINUTE, sendTimeoutMs: 2 * MINUTE } as const;
const BATCH = 50;
/** The longest a sent row waits to be marked sent with others (a crash in that time means it may be sent again). */
const RECORD_WAIT_MS = 100;

/**
 * Sends what is due. Rows are claimed in small batches (see outbox/claims.ts)
 * under a short lease that is extended while the sender works; each result is
 * recorded only if the sender still holds the row, so a slow send never makes
 * a second sender send the same row, and a sender that died loses its rows to
 * the next one after the lease. Sends run a few at a time; successes are
 * recorded in batches (outbox/sent-batch.ts).
 */
export async function dispatchOutbox(ctx: CoreContext, options: DispatchOptions = {}): Promise<DispatchReport> {
  const o = { ...OUTBOX_DEFAULTS, ...options };
  const report = emptyReport();
  /** Claim tokens of the rows this sender holds and is still working on. */
  const held = new Set<string>();
  const heartbeat = (o.heartbeat ?? intervalHeartbeat(o.leaseMs / 3))(() =>
    extendLeases(ctx, [...held], o.leaseMs).catch((error) => ctx.log.warn("could not extend the outbox leases", { error: String(error) })),
  );
  const sentBatch = new SentBatch(ctx, BATCH, RECORD_WAIT_MS);
  const queue: { row: Claimed; identities: Identities }[] = [];
  const running = new Set<Promise<void>>();
  /** Sends that have their answer, being written (their lanes stay busy until then). */
  const recording = new Set<Promise<void>>();
  let claimed = 0;
  let nothingDue = false;
  // One person's (or channel's) messages go one after another, in the order they were queued.
  const busy = new Set<string>();
  const nextFree = () => queue.findIndex(({ row }) => !busy.has(laneOf(row)));

  /**
   * Sends one row. Resolves when the send has its answer (or has had its
   * time), freeing a place for the next send; `recorded` settles once the
   * outcome is written, and until then the row stays claimed and its lane busy.
   */
  async function work(row: Claimed, identities: Identities): Promise<{ recorded: Promise<void> }> {
    // Queued before the person paused (say, for the end of their quiet hours): a pause stops it too.
    if (row.personId && identities.get(row.personId)?.paused) return { recorded: withhold(ctx, row, report).finally(() => held.delete(row.claimToken)) };
    const outcome = sendOne(ctx, row, identities);
    const recorded = outcome
      .then((result) => recordOutcome(ctx, row, result, report, sentBatch))
      .catch((error) => ctx.log.error("could not record what happened to a message; it is tried again when its claim runs out", { key: row.key, error: String(error) }))
      .finally(() => held.delete(row.claimToken));
    if (await timedOut(outcome, o.sendTimeoutMs)) {
      held.delete(row.claimToken);
      ctx.log.warn("a message has had no answer from its platform; another attempt may follow once its claim runs out", { key: row.key });
      return { recorded: Promise.resolve() };
    }
    return { recorded };
  }

  try {
    for (;;) {
      for (let i = nextFree(); i >= 0 && running.size < o.concurrency; i = nextFree()) {
        const { row, identities } = queue.splice(i, 1)[0]!;
        const lane = laneOf(row);
        busy.add(lane);
        const task = work(row, identities).then(
          ({ recorded }) => {
            const settled: Promise<void> = recorded.finally(() => {
              busy.delete(lane);
              recording.delete(settled);
            });
            recording.add(settled);
          },
          (error) => {
            busy.delete(lane);
            ctx.log.error("an outbox send failed", { key: row.key, error: String(error) });
          },
        );
        running.add(task);
        void task.finally(() => running.delete(task));
      }
      if (nextFree() < 0 && !nothingDue && claimed < o.limit && running.size < o.concurrency) {
        const rows = await claimDue(ctx, Math.min(BATCH, o.limit - claimed), o.leaseMs);
        if (rows.length === 0) nothingDue = true;
        claimed += rows.length;
        for (const row of rows) held.add(row.claimToken);
        const identities = await identitiesFor(ctx, rows);
        queue.push(...rows.map((row) => ({ row, identities })));
        continue;
      }
      if (running.size === 0) {
        if (recording.size === 0) break;
        // Nothing is being sent: write what waits to be recorded now rather than after its wait.
        void sentBatch.flush();
      }
      await Promise.race([...running, ...recording]);
    }
  } finally {
    heartbeat.stop();
  }
  return report;
}

function laneOf(row: Claimed): string {
  return row.personId ? `person:${row.personId}` : row.channelId ? `channel:${row.channelId}` : `row:${row.id}`;
}

/** Waits for `work`, but no longer than `ms`: true when it had not finished by then. */
function timedOut(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), ms);
    timer.unref?.();
  });
  return Promise.race([work.then(() => false), late]).finally(() => clearTimeout(timer));
}
