import type { CoreContext } from "../context.ts";
import type { Reply } from "../interactions.ts";
import { codesOn, type Target } from "./assignments.ts";
import { codeBookOf, codeBookWithUses } from "./book.ts";
import type { ImportResult } from "./assignments.ts";
import * as say from "./catalogue.ts";

const EXCERPT = 300;

export async function bookReply(ctx: CoreContext, programmeId: string): Promise<Reply> {
  return { private: say.codeBook({ programmeId, codes: await codeBookWithUses(ctx, programmeId) }) };
}

/** The choice of codes for one thing: the open codes, and any retired one it already has. */
export async function pickReply(ctx: CoreContext, target: Target): Promise<Reply> {
  const [book, chosen] = await Promise.all([codeBookOf(ctx.db, target.programmeId, ctx.clock.now()), codesOn(ctx.db, target.id)]);
  const options = book.filter((c) => !c.retiredAt || chosen.includes(c.id)).map((c) => ({ value: c.id, label: c.label.slice(0, 75) }));
  const excerpt = target.excerpt.length > EXCERPT ? `${target.excerpt.slice(0, EXCERPT - 1)}…` : target.excerpt;
  return { private: say.pickCodes({ kind: target.kind, id: target.id, excerpt, options, chosen }) };
}

export function importReply(result: ImportResult): Reply {
  return { private: result.ok ? say.imported(result) : say.importRefused(result) };
}
