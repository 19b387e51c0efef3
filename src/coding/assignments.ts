import { audit } from "../audit.ts";
import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { WesaidError } from "../errors.ts";
import { codeBookOf } from "./book.ts";
import { ERRORS_SHOWN, findCode, parseImport, type CodeTarget, type ImportProblem } from "./rules.ts";
import * as say from "./catalogue.ts";

/** `saidBy` is whose words the excerpt is (null when not kept), for the quoting rule; `anonymous` when answered without a name. */
export type Target = { kind: CodeTarget; id: string; programmeId: string; excerpt: string; saidBy: string | null; anonymous: boolean };

const FK: Record<CodeTarget, "responseId" | "itemId" | "debriefId" | "checkResponseId"> = { answer: "responseId", idea: "itemId", debrief: "debriefId", check: "checkResponseId" };

/** Finds what is to be coded, and its programme; undefined when there is no such thing. */
export async function findTarget(db: DbTx, kind: CodeTarget, id: string): Promise<Target | undefined> {
  if (kind === "answer") {
    const r = await db.promptResponse.findUnique({ where: { id }, select: { text: true, personId: true, occurrence: { select: { series: { select: { programmeId: true, anonymous: true } } } } } });
    return r ? { kind, id, programmeId: r.occurrence.series.programmeId, excerpt: r.text ?? "", saidBy: r.personId, anonymous: r.occurrence.series.anonymous } : undefined;
  }
  if (kind === "idea") {
    const i = await db.feedbackItem.findUnique({ where: { id }, select: { programmeId: true, text: true, raisedById: true } });
    return i ? { kind, id, programmeId: i.programmeId, excerpt: i.text, saidBy: i.raisedById, anonymous: false } : undefined;
  }
  if (kind === "check") {
    const c = await db.memberCheckResponse.findUnique({ where: { id }, select: { comment: true, personId: true, memberCheck: { select: { programmeId: true } } } });
    return c ? { kind, id, programmeId: c.memberCheck.programmeId, excerpt: c.comment, saidBy: c.personId, anonymous: false } : undefined;
  }
  const d = await db.debriefResponse.findUnique({ where: { id }, select: { wentWell: true, personId: true, panel: { select: { programmeId: true } } } });
  return d ? { kind, id, programmeId: d.panel.programmeId, excerpt: d.wentWell, saidBy: d.personId, anonymous: false } : undefined;
}

/** The codes a thing has now, by code id. */
export async function codesOn(db: DbTx, targetId: string): Promise<string[]> {
  return (await db.codeAssignment.findMany({ where: { targetId }, select: { codeId: true } })).map((a) => a.codeId);
}

/**
 * Sets the codes on one thing to those chosen: the others come off. A retired
 * code already on it may stay, but cannot be newly given.
 */
export async function setCodes(ctx: CoreContext, actorId: string, target: Target, codeIds: string[]): Promise<number> {
  return ctx.db.$transaction(async (tx) => {
    const now = ctx.clock.now();
    const book = new Map((await codeBookOf(tx, target.programmeId, now)).map((c) => [c.id, c]));
    const had = new Set(await codesOn(tx, target.id));
    const wanted = new Set(codeIds);
    for (const id of wanted) {
      const code = book.get(id);
      if (!code) throw new WesaidError("invalid_input", say.codingText.unknownCodes);
      if (code.retiredAt && !had.has(id)) throw new WesaidError("invalid_input", say.codingText.retired(code.label));
    }
    const removed = [...had].filter((id) => !wanted.has(id));
    const added = [...wanted].filter((id) => !had.has(id));
    if (removed.length) await tx.codeAssignment.deleteMany({ where: { targetId: target.id, codeId: { in: removed } } });
    if (added.length) {
      await tx.codeAssignment.createMany({
        data: added.map((codeId) => ({ codeId, kind: target.kind, targetId: target.id, [FK[target.kind]]: target.id, codedById: actorId, codedAt: now })),
        skipDuplicates: true,
      });
    }
    await audit(tx, now, actorId, "code.set", target.kind, target.id, { added: added.map((id) => book.get(id)!.key), removed: removed.map((id) => book.get(id)!.key) });
    return wanted.size;
  });
}

export type ImportResult = { ok: true; lines: number; added: number; already: number } | { ok: false; problems: ImportProblem[]; shown: number };

/** Brings in codes from a CSV, all or nothing: any line with a problem and nothing is stored. */
export async function importCodes(ctx: CoreContext, actorId: string, programmeId: string, csv: string, via: "chat" | "http"): Promise<ImportResult> {
  const parsed = parseImport(csv);
  const refuse = (problems: ImportProblem[]): ImportResult => ({ ok: false, problems: problems.sort((a, b) => a.line - b.line), shown: ERRORS_SHOWN });
  return ctx.db.$transaction(async (tx) => {
    const now = ctx.clock.now();
    const book = await codeBookOf(tx, programmeId, now);
    const problems = [...parsed.problems];
    const ids = (kind: CodeTarget) => [...new Set(parsed.lines.filter((l) => l.kind === kind).map((l) => l.id))];
    // A target counts only if it is in this programme: ids from another programme read as missing.
    const [answers, ideas, debriefs, checks] = await Promise.all([
      tx.promptResponse.findMany({ where: { id: { in: ids("answer") }, occurrence: { series: { programmeId } } }, select: { id: true } }),
      tx.feedbackItem.findMany({ where: { id: { in: ids("idea") }, programmeId }, select: { id: true } }),
      tx.debriefResponse.findMany({ where: { id: { in: ids("debrief") }, panel: { programmeId } }, select: { id: true } }),
      tx.memberCheckResponse.findMany({ where: { id: { in: ids("check") }, memberCheck: { programmeId } }, select: { id: true } }),
    ]);
    const found = new Set([...answers, ...ideas, ...debriefs, ...checks].map((r) => r.id));
    const wanted = new Map<string, { kind: CodeTarget; targetId: string; codeId: string }>();
    for (const line of parsed.lines) {
      const code = findCode(book, line.code);
      if (!found.has(line.id)) problems.push({ line: line.line, problem: say.importText.noTarget(line.kind, line.id) });
      else if (!code) problems.push({ line: line.line, problem: say.importText.noCode2(line.code) });
      else if (code.retiredAt) problems.push({ line: line.line, problem: say.importText.retired(line.code) });
      else wanted.set(`${line.id}\u0000${code.id}`, { kind: line.kind, targetId: line.id, codeId: code.id });
    }
    if (problems.length) return refuse(problems);
    const list = [...wanted.values()];
    const created = await tx.codeAssignment.createMany({
      data: list.map((w) => ({ codeId: w.codeId, kind: w.kind, targetId: w.targetId, [FK[w.kind]]: w.targetId, codedById: actorId, codedAt: now })),
      skipDuplicates: true,
    });
    const lines = new Set(parsed.lines.map((l) => l.line)).size;
    await audit(tx, now, actorId, "code.import", "Programme", programmeId, { lines, added: created.count, via });
    return { ok: true, lines, added: created.count, already: list.length - created.count };
  });
}
