import { z } from "zod";
import { WesaidError } from "../errors.ts";
import type { Feature } from "../interactions.ts";
import { defineAction } from "../registry.ts";
import { findTarget, importCodes, setCodes, type Target } from "./assignments.ts";
import { addCode, renameCode, retireCode } from "./book.ts";
import { CODE_TARGETS, codeCommandArgs } from "./rules.ts";
import { bookReply, importReply, pickReply } from "./views.ts";
import * as say from "./catalogue.ts";

const programmeId = z.string().min(1).optional();
const targetArgs = {
  programmeId,
  kind: z.enum(CODE_TARGETS, { message: say.codingText.badKind }),
  id: z.string().trim().min(1, say.codingText.badKind).max(100),
};
const codeWords = z.string().max(200);

async function loadTarget(ctx: Parameters<NonNullable<Parameters<typeof defineAction>[0]["load"]>>[0], args: { kind: (typeof CODE_TARGETS)[number]; id: string }) {
  const target = await findTarget(ctx.db, args.kind, args.id);
  if (!target) throw new WesaidError("not_found", say.codingText.noTarget(args.kind));
  return { programmeId: target.programmeId, target };
}

/** Theme coding: the code book, codes given from chat, and codes brought in from a file. */
export const codingFeature: Feature = {
  name: "coding",
  actions: [
    defineAction({
      action: "coding.book",
      access: "coding.code",
      args: z.object({ programmeId }),
      run: (ctx, { membership }) => bookReply(ctx, membership.programmeId),
    }),
    defineAction({
      action: "coding.add",
      access: "coding.code",
      args: z.object({ programmeId, label: codeWords }),
      async run(ctx, { actor, args, membership }) {
        const code = await addCode(ctx, actor.person.id, membership.programmeId, args.label);
        return { private: say.done(say.codingText.added(code.label, code.key)) };
      },
    }),
    defineAction({
      action: "coding.rename",
      access: "coding.code",
      args: z.object({ programmeId, code: codeWords, label: codeWords }),
      async run(ctx, { actor, args, membership }) {
        const { from, to } = await renameCode(ctx, actor.person.id, membership.programmeId, args.code, args.label);
        return { private: say.done(say.codingText.renamed(from, to)) };
      },
    }),
    defineAction({
      action: "coding.retire",
      access: "coding.code",
      args: z.object({ programmeId, code: codeWords }),
      async run(ctx, { actor, args, membership }) {
        return { private: say.done(say.codingText.retiredNow(await retireCode(ctx, actor.person.id, membership.programmeId, args.code))) };
      },
    }),
    defineAction({
      action: "coding.pick",
      access: "coding.code",
      args: z.object(targetArgs),
      load: (ctx, args): Promise<{ programmeId: string; target: Target }> => loadTarget(ctx, args),
      run: (ctx, { target, membership }) => pickReply(ctx, target, membership.role),
    }),
    defineAction({
      action: "coding.set",
      access: "coding.code",
      // A multi-choice sends the codes' ids, one a line.
      args: z.object({ ...targetArgs, codes: z.string().max(10_000).default("") }),
      labels: { codes: "Codes" },
      load: (ctx, args): Promise<{ programmeId: string; target: Target }> => loadTarget(ctx, args),
      async run(ctx, { actor, args, target }) {
        const ids = [...new Set(args.codes.split(/[\n,]/).map((s) => s.trim()).filter(Boolean))];
        const n = await setCodes(ctx, actor.person.id, target, ids);
        return { private: say.done(say.codingText.saved(target.kind, n)) };
      },
    }),
    defineAction({
      action: "coding.import.open",
      access: "coding.code",
      args: z.object({ programmeId }),
      run: async (_ctx, { membership }) => ({ private: say.importForm(membership.programmeId) }),
    }),
    defineAction({
      action: "coding.import",
      access: "coding.code",
      args: z.object({ programmeId, csv: z.string().min(1, say.importText.empty).max(1_000_000, say.importText.tooBig) }),
      labels: { csv: "The CSV" },
      async run(ctx, { actor, args, membership }) {
        return importReply(await importCodes(ctx, actor.person.id, membership.programmeId, args.csv, "chat"));
      },
    }),
  ],
  commands: [
    { name: "codes", ...say.commandHelp.codes, capability: "coding.code", toAction: () => ({ action: "coding.book", args: {} }) },
    { name: "code", ...say.commandHelp.code, capability: "coding.code", toAction: (rest) => codeCommandArgs(rest) },
  ],
};
