import type { CoreContext } from "./context.ts";
import type { Platform } from "./messenger.ts";

/**
 * A small key-value store an adapter keeps its own state in (the playground's
 * clock and its private replies, say), so that state survives a restart.
 * Values are JSON. Each adapter has its own namespace: keys are stored as
 * `<namespace>:<key>` in the Setting table and one adapter never sees another's.
 */
export type AdapterState = {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  /** Every entry whose key starts with `prefix`, keys without the namespace. */
  list(prefix: string): Promise<{ key: string; value: unknown }[]>;
  delete(keys: readonly string[]): Promise<void>;
};

const NAMESPACE = /^[a-z][a-z0-9-]{0,39}$/;

export function createAdapterState(ctx: CoreContext, namespace: string): AdapterState {
  if (!NAMESPACE.test(namespace)) throw new Error(`"${namespace}" cannot name an adapter's state (lower-case letters, digits and dashes)`);
  const full = (key: string) => `${namespace}:${key}`;
  return {
    async get(key) {
      const row = await ctx.db.setting.findUnique({ where: { key: full(key) } });
      return row ? parseJson(row.value) : undefined;
    },
    async set(key, value) {
      const text = JSON.stringify(value);
      await ctx.db.setting.upsert({ where: { key: full(key) }, create: { key: full(key), value: text }, update: { value: text } });
    },
    async list(prefix) {
      const rows = await ctx.db.setting.findMany({ where: { key: { startsWith: full(prefix) } }, orderBy: { key: "asc" } });
      return rows.map((row) => ({ key: row.key.slice(namespace.length + 1), value: parseJson(row.value) }));
    },
    async delete(keys) {
      if (keys.length === 0) return;
      await ctx.db.setting.deleteMany({ where: { key: { in: keys.map(full) } } });
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** One message the outbox delivered to a platform: what the platform's messenger returned, and the message. */
export type SentMessage = {
  /** The MessageRef the messenger returned when it was sent. */
  ref: unknown;
  message: unknown;
  /** True when it replaced an earlier message in place rather than adding one. */
  replaced: boolean;
  sentAt: Date;
  createdAt: Date;
};

/**
 * Everything the outbox has sent to one platform, oldest row first, read in
 * batches. For an adapter that shows messages itself (the playground) to
 * rebuild what it shows after a restart.
 */
export async function* sentMessages(ctx: CoreContext, platform: Platform, batch = 500): AsyncGenerator<SentMessage> {
  let cursor: string | undefined;
  for (;;) {
    const rows = await ctx.db.outboxMessage.findMany({
      where: { status: "sent", resultRef: { path: ["platform"], equals: platform } },
      orderBy: { id: "asc" },
      take: batch,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    for (const row of rows) {
      yield { ref: row.resultRef, message: row.message, replaced: row.replaceRef !== null, sentAt: row.sentAt ?? row.createdAt, createdAt: row.createdAt };
    }
    if (rows.length < batch) return;
    cursor = rows[rows.length - 1]!.id;
  }
}
