import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Clock } from "../../src/clock.ts";
import type { AdapterState, SentMessage } from "../../src/adapter-state.ts";
import type { Logger } from "../../src/context.ts";
import type { Core } from "../../src/core.ts";
import type { Message } from "../../src/messages/model.ts";
import type { Messenger, MessageRef, SendResult, Target } from "../../src/messenger.ts";

/** Where a playground message is shown: a persona's direct messages or a channel. */
export type Where = { kind: "direct"; to: string } | { kind: "channel"; channel: string };

/**
 * One thing on screen. "bot" came through the outbox; "private" is a reply only
 * the person who acted sees; "typed" echoes what that person typed.
 */
export type Entry = {
  id: string;
  seq: number;
  /** When it first appeared, on the (possibly fast-forwarded) clock. ISO. */
  at: string;
  where: Where;
  /** Only this persona (externalId) sees it. */
  visibleTo?: string;
  kind: "bot" | "private" | "typed";
  message?: Message;
  text?: string;
  /** Whether it came through the outbox (rebuilt from there) or from the playground itself. */
  origin: "outbox" | "playground";
  /**
   * Real time it was made, in ms. Only orders things that happened at the same
   * playground time (a stopped test clock, or one request) when rebuilding.
   */
  wall: number;
};

export type StoreEvent = { type: "entry"; entry: Entry } | { type: "removed"; ids: string[] };

const ENTRY_KEY = "entry:";
const REPLACE_KEY = "replace:";

/** What the playground keeps in its adapter state: its own entries and in-place replacements of outbox messages. */
const storedEntry = z.object({
  id: z.string(),
  at: z.string(),
  where: z.union([z.object({ kind: z.literal("direct"), to: z.string() }), z.object({ kind: z.literal("channel"), channel: z.string() })]),
  visibleTo: z.string().optional(),
  kind: z.enum(["bot", "private", "typed"]),
  message: z.unknown().optional(),
  text: z.string().optional(),
  wall: z.number().default(0),
});
const storedReplacement = z.object({ id: z.string(), at: z.string(), message: z.unknown(), wall: z.number().default(0) });

const isMessage = (value: unknown): value is Message =>
  typeof value === "object" && value !== null && Array.isArray((value as Message).blocks) && typeof (value as Message).summary === "string";

export function canSee(entry: Entry, persona: string, where: Where): boolean {
  if (entry.visibleTo && entry.visibleTo !== persona) return false;
  if (where.kind === "direct") return entry.where.kind === "direct" && entry.where.to === where.to;
  return entry.where.kind === "channel" && entry.where.channel === where.channel;
}

/** What the store needs from the core: its own state, and what the outbox sent to the playground. */
export type PlaygroundRecord = { state: AdapterState; sent(): AsyncIterable<SentMessage> };

/** The playground's record in the core, under the state namespace "playground" (the keys it has always used). */
export function playgroundRecord(core: Pick<Core, "adapterState" | "sentMessages">): PlaygroundRecord {
  return { state: core.adapterState("playground"), sent: () => core.sentMessages("local") };
}

/**
 * Everything the playground shows, in memory, and rebuildable after a restart:
 * outbox messages from what the core's outbox sent to "local", and the
 * playground's own entries (private replies, typed text, replacements) from
 * its adapter state. Listeners hear every change, for the live stream.
 */
export class PlaygroundStore {
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private seq = 0;

  constructor(
    private readonly record: PlaygroundRecord,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(id: string): Entry | undefined {
    return this.entries.get(id);
  }

  /** What a persona sees in one place, oldest first. */
  visible(persona: string, where: Where): Entry[] {
    return [...this.entries.values()].filter((e) => canSee(e, persona, where)).sort((a, b) => a.seq - b.seq);
  }

  all(): Entry[] {
    return [...this.entries.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Adds a message sent through the outbox (not persisted here: the outbox row is the record). */
  addFromOutbox(where: Where, message: Message): Entry {
    return this.insert({ id: `m-${randomUUID()}`, where, kind: "bot", message, origin: "outbox" });
  }

  /** Adds a private reply or typed text, and keeps it for after a restart. */
  async addOwn(entry: { where: Where; visibleTo?: string; kind: "private" | "typed"; message?: Message; text?: string }): Promise<Entry> {
    const added = this.insert({ id: `p-${randomUUID()}`, ...entry, origin: "playground" });
    await this.save(ENTRY_KEY + added.id, storedEntry.parse(added));
    return added;
  }

  /** Replaces a message in place (an outbox update, or a reply's replaceSource). */
  async replace(id: string, message: Message, persist: boolean): Promise<Entry | undefined> {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    const updated: Entry = { ...entry, message: structuredClone(message) };
    this.entries.set(id, updated);
    this.emit({ type: "entry", entry: updated });
    if (persist) {
      if (entry.origin === "playground") await this.save(ENTRY_KEY + id, storedEntry.parse(updated));
      else await this.save(REPLACE_KEY + id, { id, at: this.clock.now().toISOString(), message, wall: Date.now() });
    }
    return updated;
  }

  /** Drops everything only this persona saw: used when the person behind it is erased. */
  async forgetPersona(externalId: string): Promise<void> {
    const ids = [...this.entries.values()]
      .filter((e) => e.visibleTo === externalId || (e.where.kind === "direct" && e.where.to === externalId))
      .map((e) => e.id);
    if (ids.length === 0) return;
    for (const id of ids) this.entries.delete(id);
    this.emit({ type: "removed", ids });
    await this.record.state
      .delete(ids.flatMap((id) => [ENTRY_KEY + id, REPLACE_KEY + id]))
      .catch((error) => this.log.warn("playground: could not forget stored messages", { error: String(error) }));
  }

  /**
   * Rebuilds the store from the database after a restart, replaying sends,
   * updates and the playground's own entries in the order they happened.
   */
  async rebuild(): Promise<number> {
    type Step = { at: number; rank: number; tiebreak: number; apply(): void };
    const steps: Step[] = [];

    for await (const row of this.record.sent()) {
      const ref = row.ref as { id?: unknown; kind?: unknown; to?: unknown } | null;
      const message = row.message;
      if (typeof ref?.id !== "string" || !isMessage(message)) continue; // erased or not ours
      const at = row.sentAt.getTime();
      const refId = ref.id;
      if (row.replaced) {
        steps.push({ at, rank: 1, tiebreak: row.createdAt.getTime(), apply: () => this.replaceQuietly(refId, message) });
        continue;
      }
      if ((ref.kind !== "direct" && ref.kind !== "channel") || typeof ref.to !== "string") continue;
      const where: Where = ref.kind === "direct" ? { kind: "direct", to: ref.to } : { kind: "channel", channel: ref.to };
      steps.push({
        at,
        rank: 1,
        tiebreak: row.createdAt.getTime(),
        apply: () => void this.insert({ id: refId, where, kind: "bot", message, origin: "outbox", at: new Date(at).toISOString(), wall: row.createdAt.getTime() }, false),
      });
    }

    const kept = [...(await this.record.state.list(ENTRY_KEY)), ...(await this.record.state.list(REPLACE_KEY))];
    for (const { key, value } of kept) {
      if (key.startsWith(ENTRY_KEY)) {
        const parsed = storedEntry.safeParse(value);
        if (!parsed.success || (parsed.data.message !== undefined && !isMessage(parsed.data.message))) continue;
        const stored = parsed.data;
        steps.push({
          at: Date.parse(stored.at),
          rank: 0,
          tiebreak: stored.wall,
          apply: () => this.insert({ ...stored, message: stored.message as Message | undefined, origin: "playground" }, false),
        });
      } else {
        const parsed = storedReplacement.safeParse(value);
        if (!parsed.success || !isMessage(parsed.data.message)) continue;
        const { id, message } = parsed.data;
        steps.push({ at: Date.parse(parsed.data.at), rank: 2, tiebreak: parsed.data.wall, apply: () => this.replaceQuietly(id, message) });
      }
    }

    this.entries.clear();
    this.seq = 0;
    // Playground time first; within one instant, the real order things were made in.
    steps.sort((a, b) => a.at - b.at || a.tiebreak - b.tiebreak || a.rank - b.rank);
    for (const step of steps) step.apply();
    return this.entries.size;
  }

  private replaceQuietly(id: string, message: Message): void {
    const entry = this.entries.get(id);
    if (entry) this.entries.set(id, { ...entry, message });
  }

  private insert(entry: Omit<Entry, "seq" | "at" | "wall"> & { at?: string; wall?: number }, emit = true): Entry {
    // Date.now() here only orders the display, never decides anything.
    const full: Entry = { ...entry, seq: ++this.seq, at: entry.at ?? this.clock.now().toISOString(), wall: entry.wall ?? Date.now() };
    if (full.message) full.message = structuredClone(full.message);
    this.entries.set(full.id, full);
    if (emit) this.emit({ type: "entry", entry: full });
    return full;
  }

  private async save(key: string, value: unknown): Promise<void> {
    await this.record.state
      .set(key, value)
      .catch((error) => this.log.warn("playground: could not keep a message for after a restart", { error: String(error) }));
  }

  private emit(event: StoreEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.log.warn("playground: a listener failed", { error: String(error) });
      }
    }
  }
}

/** The core's way out to the playground: every message lands in the store. */
export class LocalMessenger implements Messenger {
  constructor(private readonly store: PlaygroundStore) {}

  async send(target: Target, message: Message): Promise<SendResult> {
    if (target.platform !== "local") return { ok: false, kind: "failed", detail: `the playground cannot send to ${target.platform}` };
    const where: Where = target.kind === "direct" ? { kind: "direct", to: target.externalId } : { kind: "channel", channel: target.externalId };
    const entry = this.store.addFromOutbox(where, message);
    // kind and to are kept in the ref so the store can be rebuilt from the outbox alone.
    const ref: MessageRef = { platform: "local", id: entry.id, kind: target.kind, to: target.externalId };
    return { ok: true, ref };
  }

  async update(ref: MessageRef, message: Message): Promise<SendResult> {
    if (typeof ref.id !== "string") return { ok: false, kind: "failed", detail: "that message reference has no id" };
    const updated = await this.store.replace(ref.id, message, false);
    return updated ? { ok: true, ref } : { ok: false, kind: "failed", detail: "that message is not in the playground" };
  }
}
