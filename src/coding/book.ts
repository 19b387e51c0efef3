import { audit } from "../audit.ts";
import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { WesaidError } from "../errors.ts";
import { findCode, frameworkCodes, MAX_OPEN_CODES, ownKey, tidyLabel } from "./rules.ts";
import * as say from "./catalogue.ts";

/** A programme's code book, framework codes added the first time it is needed (and when a framework gains an item). */
export async function codeBookOf(tx: DbTx, programmeId: string, now: Date) {
  const seeds = frameworkCodes();
  const have = await tx.code.count({ where: { programmeId, key: { in: seeds.map((s) => s.key) } } });
  if (have < seeds.length) {
    await tx.code.createMany({ data: seeds.map((s) => ({ programmeId, key: s.key, label: s.label, framework: s.framework, createdAt: now })), skipDuplicates: true });
  }
  return tx.code.findMany({ where: { programmeId }, orderBy: [{ createdAt: "asc" }, { key: "asc" }] });
}

/** The code book with how often each code was given. */
export async function codeBookWithUses(ctx: CoreContext, programmeId: string) {
  const codes = await codeBookOf(ctx.db, programmeId, ctx.clock.now());
  const uses = await ctx.db.codeAssignment.groupBy({ by: ["codeId"], where: { code: { programmeId } }, _count: { _all: true } });
  const count = new Map(uses.map((u) => [u.codeId, u._count._all]));
  return codes.map((c) => ({ key: c.key, label: c.label, uses: count.get(c.id) ?? 0, retired: c.retiredAt !== null }));
}

function checkLabel(raw: string): string {
  const label = tidyLabel(raw);
  if (!label || ownKey(label) === "own:") throw new WesaidError("invalid_input", say.codingText.noLabel);
  if (label.length > 80) throw new WesaidError("invalid_input", say.codingText.longLabel);
  return label;
}

export async function addCode(ctx: CoreContext, actorId: string, programmeId: string, raw: string) {
  const label = checkLabel(raw);
  return ctx.db.$transaction(async (tx) => {
    const now = ctx.clock.now();
    const codes = await codeBookOf(tx, programmeId, now);
    const same = findCode(codes, label);
    if (same) throw new WesaidError("conflict", say.codingText.taken(same.label));
    if (codes.filter((c) => !c.retiredAt).length >= MAX_OPEN_CODES) throw new WesaidError("invalid_input", say.codingText.tooMany(MAX_OPEN_CODES));
    const code = await tx.code.create({ data: { programmeId, key: ownKey(label), label, createdAt: now } });
    await audit(tx, now, actorId, "code.add", "Code", code.id, { key: code.key });
    return code;
  });
}

export async function renameCode(ctx: CoreContext, actorId: string, programmeId: string, words: string, raw: string) {
  const label = checkLabel(raw);
  return ctx.db.$transaction(async (tx) => {
    const now = ctx.clock.now();
    const codes = await codeBookOf(tx, programmeId, now);
    const code = findCode(codes, words);
    if (!code) throw new WesaidError("not_found", say.codingText.noCode(tidyLabel(words)));
    if (code.framework) throw new WesaidError("not_allowed", say.codingText.frameworkFixed);
    const same = findCode(codes, label);
    if (same && same.id !== code.id) throw new WesaidError("conflict", say.codingText.taken(same.label));
    // The key stays: files already made and files coming back still match.
    await tx.code.update({ where: { id: code.id }, data: { label } });
    await audit(tx, now, actorId, "code.rename", "Code", code.id, { key: code.key });
    return { from: code.label, to: label };
  });
}

export async function retireCode(ctx: CoreContext, actorId: string, programmeId: string, words: string) {
  return ctx.db.$transaction(async (tx) => {
    const now = ctx.clock.now();
    const code = findCode(await codeBookOf(tx, programmeId, now), words);
    if (!code) throw new WesaidError("not_found", say.codingText.noCode(tidyLabel(words)));
    if (!code.retiredAt) {
      await tx.code.update({ where: { id: code.id }, data: { retiredAt: now } });
      await audit(tx, now, actorId, "code.retire", "Code", code.id, { key: code.key });
    }
    return code.label;
  });
}
