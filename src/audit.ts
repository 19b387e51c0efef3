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
