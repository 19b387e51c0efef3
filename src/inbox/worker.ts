import type { CoreContext } from "../context.ts";
import { interactionSchema, type Interaction, type ParsedInteraction, type Reply } from "../interactions.ts";
import { cleanInput } from "../hygiene.ts";
import type { Platform } from "../messenger.ts";
import { CLAIM_LEASE_MS } from "../db/event-claims.ts";
import { claimDue, claimItem, finishItem, insertItem, keepReply, type ClaimedRow } from "./store.ts";

/**
 * The durable inbox's worker. Why it is shaped like this:
 * - A platform is answered once one insert has committed (accept), never
 *   after the work: the work (the core's handle logic) is what the database
 *   makes slow, and Slack gives 3 seconds.
 * - The accepting process works the row at once (in memory, no polling), so
 *   the usual delay to the reply is one claim. Rows that process died with
 *   are found by drain(): pending for longer than PENDING_GRACE_MS, or
 *   claimed under a lease that ran out (another replica's crash).
 * - The lease outlasts the event-claim lease (src/db/event-claims.ts), so a
 *   row taken over after a crash finds its event claim free to take over too.
 * - The reply is kept in the row before it is shown: a crash between the two
 *   shows the kept reply after the restart instead of acting again. A crash
 *   after showing it and before deleting the row shows it twice (rare; a
 *   repeat beats a loss, as in the outbox).
 * - A reply needs the platform's own follow-up (Slack's response_url, a Teams
 *   conversation reference): the adapter registers a ReplySink for its
 *   platform and stores what the sink needs as opaque `followUp` JSON.
 */
export const INBOX_LEASE_MS = CLAIM_LEASE_MS + 30_000;
/** How long a pending row is left to the process that accepted it before another may take it. */
export const PENDING_GRACE_MS = 15_000;
/** How many rows are worked at once in one process. */
const CONCURRENCY = 8;
const DRAIN_BATCH = 20;

export type ReplySink = {
  /** Work the adapter left until after the acknowledgement (display names, say); returns the interaction to run. */
  prepare?(interaction: ParsedInteraction, followUp: unknown): Promise<Interaction>;
  /** Shows the person the reply through the platform's follow-up. Should not throw; a throw is logged. */
  deliver(reply: Reply, followUp: unknown, interaction: ParsedInteraction): Promise<void>;
};

export type Accepted = { id: string };
export type AcceptOptions = { followUp?: unknown; /** Real milliseconds the insert may take before the platform is told it failed. */ deadlineMs?: number };

/** The core's handle logic for one stored interaction; `key` stands in for a missing event id. */
export type RunStored = (interaction: ParsedInteraction, key: string) => Promise<Reply>;

export type Inbox = ReturnType<typeof createInbox>;

export type InboxHooks = {
  /** Runs between the insert and the work (a throw there is a process dying at that point). */
  afterAccept?: (id: string) => Promise<void>;
  /** Sees every reply the work gives, on every path (fuzz tests check them). */
  onReply?: (reply: Reply) => void;
};

export function createInbox(ctx: CoreContext, runStored: RunStored, hooks: InboxHooks = {}) {
  const sinks = new Map<Platform, ReplySink>();
  const working = new Set<Promise<unknown>>();
  const queue: (() => Promise<void>)[] = [];
  let active = 0;
  let timer: NodeJS.Timeout | undefined;
  let draining: Promise<number> | null = null;

  function track<T>(work: Promise<T>): Promise<T> {
    working.add(work);
    void work.finally(() => working.delete(work)).catch(() => undefined);
    return work;
  }

  /** Runs `job` when fewer than CONCURRENCY are running. */
  function limited<T>(job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push(() => job().then(resolve, reject));
      pump();
    });
  }
  function pump() {
    while (active < CONCURRENCY && queue.length > 0) {
      const next = queue.shift()!;
      active++;
      void next().finally(() => {
        active--;
        pump();
      });
    }
  }

  /** Stores an interaction that has already been parsed and checked; the caller acknowledges after this. */
  async function store(interaction: ParsedInteraction, options: AcceptOptions = {}): Promise<Accepted> {
    const id = await insertItem(ctx, interaction, options.followUp, options.deadlineMs);
    return { id };
  }

  /** Works a stored row now, in this process, and shows its reply through the platform's sink. */
  function workSoon(id: string): void {
    const after = hooks.afterAccept ? hooks.afterAccept(id) : Promise.resolve();
    void track(after.then(() => limited(() => workById(id, true))).catch((error) => ctx.log.error("an interaction in the inbox failed", { error: String(error) })));
  }

  /** Works one row by id; returns its reply (undefined when another worker has it). */
  async function workById(id: string, deliver: boolean): Promise<Reply | undefined> {
    const row = await claimItem(ctx, id, INBOX_LEASE_MS);
    if (!row) return undefined;
    return work(row, deliver);
  }

  async function work(row: ClaimedRow, deliver: boolean): Promise<Reply> {
    const interaction = interactionSchema.parse(row.interaction);
    const sink = deliver ? sinks.get(interaction.platform) : undefined;
    let reply = row.status === "answered" ? (row.reply as Reply) : undefined;
    if (!reply) {
      let prepared = interaction;
      if (sink?.prepare) {
        // What the adapter adds after the acknowledgement passes the same door as what it stored.
        const again = await sink.prepare(interaction, row.followUp).then(
          (raw) => interactionSchema.safeParse(cleanInput(raw)),
          (error) => {
            ctx.log.warn("could not prepare an interaction; running it as received", { error: String(error) });
            return undefined;
          },
        );
        if (again?.success) prepared = again.data;
      }
      reply = await runStored(prepared, `inbox-${row.id}`);
      hooks.onReply?.(reply);
      if (sink && !(await keepReply(ctx, row, reply))) return reply;
    }
    if (sink) {
      try {
        await sink.deliver(reply, row.followUp, interaction);
      } catch (error) {
        ctx.log.error("could not show a reply", { platform: interaction.platform, error: error instanceof Error ? error.message : String(error) });
      }
    }
    await finishItem(ctx, row);
    return reply;
  }

  /** Works every row nobody else is working (after a restart, or another replica's crash). Concurrent calls share one run. */
  function drain(): Promise<number> {
    draining ??= (async () => {
      let total = 0;
      for (;;) {
        const rows = await claimDue(ctx, DRAIN_BATCH, INBOX_LEASE_MS, PENDING_GRACE_MS);
        if (rows.length === 0) return total;
        total += rows.length;
        await Promise.all(rows.map((row) => track(limited(() => work(row, true)))));
      }
    })().finally(() => (draining = null));
    return draining;
  }

  return {
    /** For tests: see InboxHooks. */
    hooks,
    store,
    workSoon,
    workById,
    drain,
    /** The adapter's way to show replies for its platform. */
    onReply(platform: Platform, sink: ReplySink): void {
      sinks.set(platform, sink);
    },
    /** Resolves when every row taken so far has been worked and its reply shown. */
    async idle(): Promise<void> {
      while (working.size > 0) await Promise.allSettled([...working]);
    },
    /** Drains now and then every `everyMs` (real time), until stop(). */
    start(everyMs: number): Promise<number> {
      timer ??= setInterval(() => void drain().catch((error) => ctx.log.error("could not work the inbox", { error: String(error) })), everyMs);
      timer.unref?.();
      return drain();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (draining) await draining.catch(() => undefined);
      while (working.size > 0) await Promise.allSettled([...working]);
    },
  };
}
