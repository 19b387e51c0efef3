import type { CoreContext } from "../context.ts";
import { audit } from "../audit.ts";
import { roleCan } from "../roles.ts";
import { hashToken, newToken } from "./rules.ts";

/** Makes a token for the exports endpoint. The token is returned once; only its hash is kept. */
export async function createExportToken(ctx: CoreContext, personId: string, programmeId: string): Promise<string> {
  const { token, hash } = newToken();
  const now = ctx.clock.now();
  await ctx.db.$transaction(async (tx) => {
    await tx.exportToken.create({ data: { personId, programmeId, tokenHash: hash, createdAt: now } });
    await audit(tx, now, personId, "export.token.create", "Programme", programmeId);
  });
  return token;
}

/** Stops every export token the person made for this programme. Returns how many were still in use. */
export async function revokeExportTokens(ctx: CoreContext, personId: string, programmeId: string): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.$transaction(async (tx) => {
    const { count } = await tx.exportToken.updateMany({ where: { personId, programmeId, revokedAt: null }, data: { revokedAt: now } });
    if (count > 0) await audit(tx, now, personId, "export.token.revoke", "Programme", programmeId, { tokens: count });
    return count;
  });
}

export type TokenCheck = { ok: true; personId: string; programmeId: string } | { ok: false; status: 401 | 403 };

/**
 * Who a bearer token speaks for: 401 when it is missing, unknown or revoked;
 * 403 when its owner may no longer export from its programme (left, or their role changed).
 */
export async function checkExportToken(ctx: CoreContext, token: string | undefined): Promise<TokenCheck> {
  if (!token) return { ok: false, status: 401 };
  const found = await ctx.db.exportToken.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!found || found.revokedAt) return { ok: false, status: 401 };
  const membership = await ctx.db.membership.findUnique({ where: { programmeId_personId: { programmeId: found.programmeId, personId: found.personId } } });
  if (!membership || !roleCan(membership.role, "evidence.export")) return { ok: false, status: 403 };
  await ctx.db.exportToken.update({ where: { id: found.id }, data: { lastUsedAt: ctx.clock.now() } });
  return { ok: true, personId: found.personId, programmeId: found.programmeId };
}
