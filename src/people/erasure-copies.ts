import { randomUUID } from "node:crypto";
import type { DbTx } from "../db/database.ts";
import type { Message } from "../messages/model.ts";
import { enqueue } from "../outbox.ts";
import { mayHold, mentions, redactJson, redactText, type Replacements, type Traces } from "./redaction.ts";

/**
 * The second half of "forget me": copies of a person's ids, name and words in
 * rows that are not theirs. Every table that can hold one is read here, so
 * the erasure scan test (test/core/people/erasure-scan.test.ts) finds nothing.
 *
 * Messages are handled by where they are:
 * - to the person: deleted, with any update of them;
 * - queued for someone else (a digest quoting them, an idea post): redacted
 *   before they go;
 * - already posted or sent: the stored copy is redacted and an update is
 *   queued through the outbox's replaceKey path, so Slack (chat.update),
 *   Teams (update activity) and the playground show the redacted words too.
 */
export type CopyCounts = { queuedRedacted: number; postedUpdated: number; messagesDeleted: number; digests: number; notes: number; other: number };

const BATCH = 500;

export async function redactCopies(tx: DbTx, now: Date, traces: Traces, r: Replacements): Promise<CopyCounts> {
  const counts: CopyCounts = { queuedRedacted: 0, postedUpdated: 0, messagesDeleted: 0, digests: 0, notes: 0, other: 0 };
  await outbox(tx, now, traces, r, counts);
  counts.digests = await digests(tx, traces, r);
  counts.notes = await textColumns(tx, traces, r);
  counts.other = (await auditDetails(tx, traces, r)) + (await channels(tx, traces, r)) + (await adapterState(tx, traces, r)) + (await processedEvents(tx, traces));
  return counts;
}

// ------------------------------------------------------------------ the outbox

/** The newest copy of a message (the first send or an update of it): what the platform shows, or soon will. */
type Newest = { createdAt: Date; programmeId: string | null; onPlatform: boolean; redacted: unknown };

async function outbox(tx: DbTx, now: Date, traces: Traces, r: Replacements, counts: CopyCounts): Promise<void> {
  const [personId] = traces.ids;
  const theirs = await tx.outboxMessage.findMany({ where: { personId }, select: { key: true } });
  const gone = new Set(theirs.map((m) => m.key));
  counts.messagesDeleted += (await tx.outboxMessage.deleteMany({ where: { personId } })).count;

  // The newest copy of each message, sent or queued (keyed by the original's key).
  const posted = new Map<string, Newest>();
  let cursor: string | undefined;
  for (;;) {
    const rows = await tx.outboxMessage.findMany({ orderBy: { id: "asc" }, take: BATCH, ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}) });
    for (const row of rows) {
      const replaces = (row.replaceRef as { key?: string } | null)?.key;
      if (replaces && gone.has(replaces)) {
        await tx.outboxMessage.delete({ where: { id: row.id } });
        counts.messagesDeleted++;
        continue;
      }
      const onPlatform = row.status === "sent" || row.status === "sending";
      const copy = onPlatform || row.status === "pending";
      if (!mayHold([row.message, row.key, row.replaceRef, row.resultRef, row.lastError], traces)) {
        // Nothing of theirs; still perhaps the newest copy of a message.
        if (copy) notePosted(posted, (row.replaceRef as { key?: string } | null)?.key ?? row.key, { createdAt: row.createdAt, programmeId: row.programmeId, onPlatform, redacted: null });
        continue;
      }
      const message = redactJson(row.message, traces, r);
      const key = redactText(row.key, traces, r);
      const replaceRef = redactJson(row.replaceRef, traces, r);
      const resultRef = redactJson(row.resultRef, traces, r);
      const lastError = row.lastError === null ? null : redactText(row.lastError, traces, r);
      const changed = message.changed || key !== row.key || replaceRef.changed || resultRef.changed || lastError !== row.lastError;
      if (changed) {
        await tx.outboxMessage.update({
          where: { id: row.id },
          data: { message: message.value as object, key, replaceRef: (replaceRef.value ?? undefined) as object | undefined, resultRef: (resultRef.value ?? undefined) as object | undefined, lastError },
        });
        if (row.status === "pending" && message.changed) counts.queuedRedacted++;
      }
      if (copy) {
        const target = (replaceRef.value as { key?: string } | null)?.key ?? key;
        notePosted(posted, target, { createdAt: row.createdAt, programmeId: row.programmeId, onPlatform, redacted: message.changed ? message.value : null });
      }
    }
    if (rows.length < BATCH) break;
    cursor = rows[rows.length - 1]!.id;
  }

  // What the platform shows now held their words: show it again without them.
  const run = randomUUID();
  let n = 0;
  for (const [target, newest] of posted) {
    // A newer copy still queued goes out redacted and replaces it anyway; one without their words needs nothing.
    if (!newest.onPlatform || newest.redacted === null) continue;
    await enqueue(tx, now, { key: `erasure:${run}:${++n}`, purpose: "erasure.redact", replaceKey: target, programmeId: newest.programmeId ?? undefined, message: newest.redacted as Message });
  }
  counts.postedUpdated = n;
}

/** Keeps the newest copy per message. */
function notePosted(posted: Map<string, Newest>, target: string, copy: Newest): void {
  const known = posted.get(target);
  if (!known || known.createdAt <= copy.createdAt) posted.set(target, copy);
}

// ------------------------------------------------------------------ stored JSON

async function digests(tx: DbTx, traces: Traces, r: Replacements): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  for (;;) {
    const rows = await tx.digest.findMany({ orderBy: { id: "asc" }, take: 50, ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}) });
    for (const row of rows) {
      if (!mayHold(row.data, traces)) continue;
      const data = redactJson(row.data, traces, r);
      if (!data.changed) continue;
      await tx.digest.update({ where: { id: row.id }, data: { data: data.value as object } });
      n++;
    }
    if (rows.length < 50) return n;
    cursor = rows[rows.length - 1]!.id;
  }
}

async function auditDetails(tx: DbTx, traces: Traces, r: Replacements): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  for (;;) {
    const rows = await tx.auditEntry.findMany({ orderBy: { id: "asc" }, take: BATCH, ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}) });
    for (const row of rows) {
      if (!mayHold([row.detail, row.entityId], traces)) continue;
      const detail = redactJson(row.detail, traces, r);
      const entityId = redactText(row.entityId, traces, r);
      if (!detail.changed && entityId === row.entityId) continue;
      await tx.auditEntry.update({ where: { id: row.id }, data: { entityId, detail: (detail.value ?? undefined) as object | undefined } });
      n++;
    }
    if (rows.length < BATCH) return n;
    cursor = rows[rows.length - 1]!.id;
  }
}

/** A channel's stored address can hold the person who linked it (a Teams conversation reference does). */
async function channels(tx: DbTx, traces: Traces, r: Replacements): Promise<number> {
  let n = 0;
  for (const row of await tx.programmeChannel.findMany()) {
    const address = redactJson(row.address, traces, r);
    const name = redactText(row.name, traces, r);
    if (!address.changed && name === row.name) continue;
    await tx.programmeChannel.update({ where: { id: row.id }, data: { name, address: (address.value ?? undefined) as object | undefined } });
    n++;
  }
  return n;
}

/** Adapters' state ("<namespace>:<key>" rows, src/adapter-state.ts): entries naming them go, others are redacted. */
async function adapterState(tx: DbTx, traces: Traces, r: Replacements): Promise<number> {
  let n = 0;
  const idsOnly: Traces = { ids: traces.ids, names: [], words: [] };
  for (const row of await tx.setting.findMany({ where: { key: { contains: ":" } } })) {
    if (mentions(row.key, idsOnly) || mentions(row.value, idsOnly)) {
      await tx.setting.delete({ where: { key: row.key } });
      n++;
      continue;
    }
    if (!mentions(row.value, traces)) continue;
    let value: string;
    try {
      value = JSON.stringify(redactJson(JSON.parse(row.value) as unknown, traces, r).value);
    } catch {
      value = redactText(row.value, traces, r);
    }
    await tx.setting.update({ where: { key: row.key }, data: { value } });
    n++;
  }
  return n;
}

/** Inbound event ids are the platforms' own; one that carries their id goes. */
async function processedEvents(tx: DbTx, traces: Traces): Promise<number> {
  if (traces.ids.length === 0) return 0;
  return (await tx.processedEvent.deleteMany({ where: { OR: traces.ids.map((id) => ({ key: { contains: id } })) } })).count;
}

// ------------------------------------------------------------------ free text written by others

type Row = { id: string } & Record<string, unknown>;
type Table = { find(where: never): Promise<Row[]>; save(id: string, data: Record<string, string>): Promise<unknown>; fields: string[] };

/** Text others wrote can still name them or quote them (an idea "as Jo said ...", a status reason): redacted. */
async function textColumns(tx: DbTx, traces: Traces, r: Replacements): Promise<number> {
  const tables: Table[] = [
    { find: (where) => tx.feedbackItem.findMany({ where }), save: (id, data) => tx.feedbackItem.update({ where: { id }, data }), fields: ["text", "statusReason", "sourceRef"] },
    { find: (where) => tx.feedbackStatusChange.findMany({ where }), save: (id, data) => tx.feedbackStatusChange.update({ where: { id }, data }), fields: ["reason"] },
    { find: (where) => tx.feedbackUpdate.findMany({ where }), save: (id, data) => tx.feedbackUpdate.update({ where: { id }, data }), fields: ["text"] },
    { find: (where) => tx.feedbackReaction.findMany({ where }), save: (id, data) => tx.feedbackReaction.update({ where: { id }, data }), fields: ["comment"] },
    { find: (where) => tx.coOwnedAction.findMany({ where }), save: (id, data) => tx.coOwnedAction.update({ where: { id }, data }), fields: ["title"] },
    { find: (where) => tx.promptResponse.findMany({ where }), save: (id, data) => tx.promptResponse.update({ where: { id }, data }), fields: ["text"] },
    {
      find: (where) => tx.debriefResponse.findMany({ where }),
      save: (id, data) => tx.debriefResponse.update({ where: { id }, data }),
      fields: ["wentWell", "couldImprove", "changeNextTime"],
    },
    { find: (where) => tx.tasterSignup.findMany({ where }), save: (id, data) => tx.tasterSignup.update({ where: { id }, data }), fields: ["followUpComment"] },
    { find: (where) => tx.memberCheckResponse.findMany({ where }), save: (id, data) => tx.memberCheckResponse.update({ where: { id }, data }), fields: ["comment"] },
    { find: (where) => tx.memberCheck.findMany({ where }), save: (id, data) => tx.memberCheck.update({ where: { id }, data }), fields: ["title", "summary"] },
    { find: (where) => tx.taster.findMany({ where }), save: (id, data) => tx.taster.update({ where: { id }, data }), fields: ["title", "whatToExpect", "location", "accessibility"] },
    { find: (where) => tx.panel.findMany({ where }), save: (id, data) => tx.panel.update({ where: { id }, data }), fields: ["title", "purpose", "prepPrompt"] },
    { find: (where) => tx.promptSeries.findMany({ where }), save: (id, data) => tx.promptSeries.update({ where: { id }, data }), fields: ["title", "intro"] },
    { find: (where) => tx.programme.findMany({ where }), save: (id, data) => tx.programme.update({ where: { id }, data }), fields: ["name", "description"] },
  ];
  // Searched for in the database first; the start of long words finds shortened copies too.
  const terms = [...new Set([...traces.ids, ...traces.names, ...traces.words, ...traces.words.map((w) => w.slice(0, 20))])];
  if (terms.length === 0) return 0;
  let n = 0;
  for (const table of tables) {
    const where = { OR: table.fields.flatMap((f) => terms.map((t) => ({ [f]: { contains: t } }))) };
    for (const row of await table.find(where as never)) {
      const data: Record<string, string> = {};
      for (const f of table.fields) {
        const value = row[f];
        if (typeof value !== "string") continue;
        const out = redactText(value, traces, r);
        if (out !== value) data[f] = out;
      }
      if (Object.keys(data).length === 0) continue;
      await table.save(row.id, data);
      n++;
    }
  }
  return n;
}
