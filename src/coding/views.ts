import type { CoreContext } from "../context.ts";
import { roleCan, type Role } from "../roles.ts";
import { ExportPeople } from "../evidence/index.ts";
import type { Reply } from "../interactions.ts";
import { codesOn, type Target } from "./assignments.ts";
import { codeBookOf, codeBookWithUses } from "./book.ts";
import type { ImportResult } from "./assignments.ts";
import * as say from "./catalogue.ts";

const EXCERPT = 300;

export async function bookReply(ctx: CoreContext, programmeId: string): Promise<Reply> {
  return { private: say.codeBook({ programmeId, codes: await codeBookWithUses(ctx, programmeId) }) };
}

/** The words an evaluator may read: those the exports would hold (quoting consent, never anonymous words). Organisers read all. */
async function wordsFor(ctx: CoreContext, target: Target, role: Role): Promise<string> {
  if (roleCan(role, "feedback.from_answer")) return target.excerpt;
  const people = new ExportPeople(ctx.db, ctx.settings, target.programmeId);
  await people.learnConsent([target.saidBy]);
  return people.words(target.saidBy, target.excerpt, target.anonymous).text;
}

/** The choice of codes for one thing: the open codes, and any retired one it already has. */
export async function pickReply(ctx: CoreContext, target: Target, role: Role): Promise<Reply> {
  const [book, chosen, words] = await Promise.all([codeBookOf(ctx.db, target.programmeId, ctx.clock.now()), codesOn(ctx.db, target.id), wordsFor(ctx, target, role)]);
  const options = book.filter((c) => !c.retiredAt || chosen.includes(c.id)).map((c) => ({ value: c.id, label: c.label.slice(0, 75) }));
  const excerpt = words.length > EXCERPT ? `${words.slice(0, EXCERPT - 1)}…` : words;
  return { private: say.pickCodes({ kind: target.kind, id: target.id, excerpt, withheld: !words && Boolean(target.excerpt), options, chosen }) };
}

export function importReply(result: ImportResult): Reply {
  return { private: result.ok ? say.imported(result) : say.importRefused(result) };
}
