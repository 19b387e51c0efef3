import type { DbTx } from "./db/database.ts";

/** Records who changed what. Written in the same transaction as the change. */
export async function audit(
  tx: DbTx,
  at: Date,
  actorId: string | null,
  action: string,
  entity: string,
  entityId: string,
  detail?: Record<string, unknown>,
): Promise<void> {
  await tx.auditEntry.create({ data: { at, actorId, action, entity, entityId, detail: (detail as object | undefined) ?? undefined } });
}

/** What someone read that holds other people's words or figures about them. */
export type ReadKind = "answers" | "digest" | "ideas" | "debriefs" | "membercheck" | "contributions";

export type Read = {
  kind: ReadKind;
  programmeId: string;
  /** The set of questions, for answers. */
  seriesId?: string;
  /** The panel, for debriefs. */
  panelId?: string;
  /** The member check, for its answers. */
  memberCheckId?: string;
  /** The week (digests) or the day the questions went out (answers). */
  week?: Date;
};

/**
 * Records that `readerId` read something with other people's words in it: who
 * read, what kind, which programme, series, panel or week. Never who the words
 * are from: the row names the reader and the programme's things, no participant.
 */
export async function auditRead(db: DbTx, at: Date, readerId: string, read: Read): Promise<void> {
  const detail: Record<string, string> = {};
  if (read.seriesId) detail.seriesId = read.seriesId;
  if (read.panelId) detail.panelId = read.panelId;
  if (read.memberCheckId) detail.memberCheckId = read.memberCheckId;
  if (read.week) detail.week = read.week.toISOString().slice(0, 10);
  await audit(db, at, readerId, `read.${read.kind}`, "Programme", read.programmeId, detail);
}
