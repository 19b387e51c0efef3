import { randomBytes } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { z } from "zod";
import { personRefSchema } from "../../src/interactions.ts";
import type { AdapterState } from "../../src/adapter-state.ts";
import type { ActionCall, Block } from "../../src/messages/model.ts";

/**
 * Slack carries our data back to us in small strings: a button's `value`
 * (2000 characters) and a modal's `private_metadata` (3000). We put the core's
 * ActionCall there as compact JSON, compressed when that makes it fit. Only
 * when even that is too long (say, a long suggestion carried by a "which
 * programme?" button) is it kept under a random key for a day: in memory, and
 * in the database through the adapter state when one is given, so that the
 * press works on any replica and after a restart. Without a store such a
 * button stops working after a restart, and says so.
 */
export const BUTTON_VALUE_MAX = 2000;
export const PRIVATE_METADATA_MAX = 3000;

export type FormBlock = Extract<Block, { kind: "form" }>;

/** Where a form was opened from, so its answer can replace that message. */
export type FormSource =
  | { kind: "message"; channel: string; ts: string }
  | { kind: "ephemeral"; channel?: string; responseUrl: string }
  | { kind: "home" }
  | { kind: "none"; channel?: string };

export type FormMeta = { call: ActionCall; source: FormSource; firstInput?: string };

const peopleSchema = z.record(z.string(), z.array(personRefSchema).max(100));
/** a: action, g: args, p: people (only when the call carries any). */
const callSchema = z.object({ a: z.string().min(1).max(100), g: z.record(z.string(), z.string().max(4000)), p: peopleSchema.optional() });

const packCall = (call: ActionCall) => ({ a: call.action, g: call.args, ...(call.people && Object.keys(call.people).length ? { p: call.people } : {}) });
const unpackCall = (data: z.output<typeof callSchema>): ActionCall => ({ action: data.a, args: data.g, ...(data.p ? { people: data.p } : {}) });

const sourceSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("message"), channel: z.string().min(1).max(50), ts: z.string().min(1).max(50) }),
  z.object({ kind: z.literal("ephemeral"), channel: z.string().max(50).optional(), responseUrl: z.string().url().max(500) }),
  z.object({ kind: z.literal("home") }),
  z.object({ kind: z.literal("none"), channel: z.string().max(50).optional() }),
]);
const metaSchema = z.object({ c: callSchema, s: sourceSchema, f: z.string().max(255).optional() });

const choiceSchema = z.object({ value: z.string(), label: z.string() });
const inputSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("text"), id: z.string(), label: z.string(), multiline: z.boolean().optional(), optional: z.boolean().optional(), initial: z.string().optional(), placeholder: z.string().optional(), maxLength: z.number().optional() }),
  z.object({ kind: z.literal("scale"), id: z.string(), label: z.string(), min: z.number(), max: z.number(), minLabel: z.string().optional(), maxLabel: z.string().optional(), optional: z.boolean().optional(), initial: z.number().optional() }),
  z.object({ kind: z.literal("single"), id: z.string(), label: z.string(), options: z.array(choiceSchema), optional: z.boolean().optional(), initial: z.string().optional() }),
  z.object({ kind: z.literal("multi"), id: z.string(), label: z.string(), options: z.array(choiceSchema), optional: z.boolean().optional(), initial: z.array(z.string()).optional() }),
  z.object({ kind: z.literal("datetime"), id: z.string(), label: z.string(), optional: z.boolean().optional(), initial: z.string().optional() }),
  z.object({ kind: z.literal("people"), id: z.string(), label: z.string(), optional: z.boolean().optional(), multiple: z.boolean().optional() }),
]);
const formSchema = z.object({
  kind: z.literal("form"),
  id: z.string(),
  title: z.string(),
  openLabel: z.string(),
  submitLabel: z.string(),
  inputs: z.array(inputSchema).max(100),
  submit: z.object({ action: z.string().min(1).max(100), args: z.record(z.string(), z.string()), people: peopleSchema.optional() }),
});

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_KEPT = 10_000;

const keptSchema = z.object({ text: z.string(), expiresAt: z.number() });
const KEY = /^[\w-]{16}$/;

export class PayloadCodec {
  private readonly kept = new Map<string, { text: string; expiresAt: number }>();
  private readonly writes = new Set<Promise<void>>();
  private keptCount = 0;

  constructor(
    private readonly now: () => number = Date.now,
    /** Shared with every replica (the database); without it, kept values live in this process only. */
    private readonly store?: AdapterState,
    private readonly onStoreError: (error: unknown) => void = () => {},
  ) {}

  /**
   * Makes a value that was kept by another replica (or before a restart)
   * readable by the synchronous decoders: call before decoding.
   */
  async prepare(value: unknown): Promise<void> {
    if (!this.store || typeof value !== "string" || value[0] !== "m") return;
    const key = value.slice(1);
    if (!KEY.test(key) || this.kept.has(key)) return;
    const found = keptSchema.safeParse(await this.store.get(`kept:${key}`).catch(() => undefined));
    if (found.success) this.kept.set(key, found.data);
  }

  /** Resolves when every kept value written so far is in the store. */
  async settled(): Promise<void> {
    await Promise.all([...this.writes]);
  }

  encodeCall(call: ActionCall): string {
    return this.pack(JSON.stringify(packCall(call)), BUTTON_VALUE_MAX);
  }

  decodeCall(value: unknown): ActionCall | null {
    const data = this.unpack(value, callSchema);
    return data ? unpackCall(data) : null;
  }

  encodeForm(form: FormBlock): string {
    return this.pack(JSON.stringify(form), BUTTON_VALUE_MAX);
  }

  decodeForm(value: unknown): FormBlock | null {
    return this.unpack(value, formSchema);
  }

  encodeMeta(meta: FormMeta): string {
    const data = { c: packCall(meta.call), s: meta.source, ...(meta.firstInput ? { f: meta.firstInput } : {}) };
    return this.pack(JSON.stringify(data), PRIVATE_METADATA_MAX);
  }

  decodeMeta(value: unknown): FormMeta | null {
    const data = this.unpack(value, metaSchema);
    return data ? { call: unpackCall(data.c), source: data.s, firstInput: data.f } : null;
  }

  /** "j" + JSON, or "z" + deflated JSON in base64url, or "m" + a key into memory. */
  private pack(json: string, max: number): string {
    if (json.length + 1 <= max) return `j${json}`;
    const zipped = `z${deflateRawSync(json).toString("base64url")}`;
    if (zipped.length <= max) return zipped;
    return `m${this.keep(json)}`;
  }

  private unpack<S extends z.ZodType>(value: unknown, schema: S): z.output<S> | null {
    if (typeof value !== "string" || value.length < 2 || value.length > PRIVATE_METADATA_MAX) return null;
    let json: string | undefined;
    try {
      if (value[0] === "j") json = value.slice(1);
      else if (value[0] === "z") json = inflateRawSync(Buffer.from(value.slice(1), "base64url"), { maxOutputLength: 200_000 }).toString("utf8");
      else if (value[0] === "m") json = this.recall(value.slice(1));
      if (json === undefined) return null;
      const parsed = schema.safeParse(JSON.parse(json));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  private keep(text: string): string {
    const key = randomBytes(12).toString("base64url");
    const now = this.now();
    if (this.kept.size >= MAX_KEPT) {
      for (const [k, v] of this.kept) if (v.expiresAt < now || this.kept.size >= MAX_KEPT) this.kept.delete(k);
    }
    const entry = { text, expiresAt: now + DAY_MS };
    this.kept.set(key, entry);
    if (this.store) this.track(this.persist(this.store, key, entry));
    return key;
  }

  private async persist(store: AdapterState, key: string, entry: { text: string; expiresAt: number }): Promise<void> {
    await store.set(`kept:${key}`, entry);
    // Now and then, drop what has expired.
    if (++this.keptCount % 100 === 0) {
      const now = this.now();
      const old = (await store.list("kept:")).filter((row) => !keptSchema.safeParse(row.value).success || (row.value as { expiresAt: number }).expiresAt < now);
      await store.delete(old.map((row) => row.key));
    }
  }

  private track(write: Promise<void>): void {
    const tracked = write.catch(this.onStoreError).finally(() => this.writes.delete(tracked));
    this.writes.add(tracked);
  }

  private recall(key: string): string | undefined {
    const entry = this.kept.get(key);
    if (!entry || entry.expiresAt < this.now()) return undefined;
    return entry.text;
  }
}
