import { z } from "zod";
import type { Feature } from "../interactions.ts";
import { defineAction } from "../registry.ts";
import { programmeWhereCan } from "../access.ts";
import { roleCan } from "../roles.ts";
import { auditRead } from "../audit.ts";
import { formatDate } from "../time.ts";
import { timeZoneOf } from "../people/index.ts";
import { answerArgs, CHECK_LABELS, checkReport, closingDate, createArgs, createCheck, loadCheck, participantsOf, saveAnswer, sendCheck } from "./checks.ts";
import { recentChecks } from "./views.ts";
import * as say from "./catalogue.ts";

/** Member checking in chat: write a summary, send it, people answer, the evaluator sees the answers. */

const checkArgs = z.object({ checkId: z.string().min(1).max(100) });

export const memberChecksFeature: Feature = {
  name: "member-checks",
  actions: [
    defineAction({
      action: "membercheck.new",
      access: "membercheck.send",
      args: z.object({ programmeId: z.string().min(1).max(100).optional() }),
      async run(ctx, { actor, membership }) {
        return { private: say.newCheckForm({ programmeId: membership.programmeId, timeZone: await timeZoneOf(ctx.db, actor.person.id) }) };
      },
    }),
    defineAction({
      action: "membercheck.create",
      access: "membercheck.send",
      args: createArgs,
      labels: CHECK_LABELS,
      async run(ctx, { actor, args, membership }) {
        const timeZone = await timeZoneOf(ctx.db, actor.person.id);
        const closesAt = closingDate(args.closesAt, timeZone, ctx.clock.now());
        const check = await createCheck(ctx, { personId: actor.person.id, programmeId: membership.programmeId, title: args.title, summary: args.summary, closesAt });
        const people = (await participantsOf(ctx.db, membership.programmeId)).length;
        return { private: say.preview({ checkId: check.id, title: check.title, summary: check.summary, closes: closesAt ? formatDate(closesAt, timeZone) : undefined, people }) };
      },
    }),
    defineAction({
      action: "membercheck.send",
      access: "membercheck.send",
      args: checkArgs,
      load: loadCheck,
      async run(ctx, { actor, target: check }) {
        const told = await sendCheck(ctx, actor.person.id, check);
        return { replaceSource: say.sent({ title: check.title, told, checkId: check.id }) };
      },
    }),
    defineAction({
      action: "membercheck.answer",
      access: "membercheck.answer",
      args: answerArgs,
      labels: CHECK_LABELS,
      load: loadCheck,
      storesWhatTheySay: true,
      async run(ctx, { actor, args, target: check, membership }) {
        const timeZone = await timeZoneOf(ctx.db, actor.person.id);
        const saved = await saveAnswer(ctx, { personId: actor.person.id, role: membership.role, check, verdict: args.verdict, comment: args.comment, timeZone });
        const closes = check.closesAt ? formatDate(check.closesAt, timeZone) : undefined;
        return { replaceSource: say.answered({ checkId: check.id, title: check.title, verdict: args.verdict, comment: saved.comment, closes }) };
      },
    }),
    defineAction({
      action: "membercheck.report",
      access: "membercheck.send",
      args: z.object({ checkId: z.string().min(1).max(100).optional(), offset: z.coerce.number().int().min(0).max(100_000).default(0) }),
      // Without a check: a list to choose from, in a programme where the person may send checks.
      load: async (ctx, args, actor) => (args.checkId ? loadCheck(ctx, { checkId: args.checkId }) : { programmeId: programmeWhereCan(actor, "membercheck.send"), target: null }),
      async run(ctx, { actor, args, target: check, membership }) {
        const timeZone = await timeZoneOf(ctx.db, actor.person.id);
        if (!check) return { private: say.pick({ checks: await recentChecks(ctx, membership.programmeId, timeZone) }) };
        await auditRead(ctx.db, ctx.clock.now(), actor.person.id, { kind: "membercheck", programmeId: check.programmeId, memberCheckId: check.id });
        // Each comment shown has a Code button for those who code (the coding loop's choice of codes, one rule).
        return { private: say.report(await checkReport(ctx, check, timeZone, { offset: args.offset, canCode: roleCan(membership.role, "coding.code") })) };
      },
    }),
  ],
  commands: [
    {
      name: "check",
      aliases: ["member-check"],
      ...say.commandHelp.check,
      capability: "membercheck.send",
      toAction(rest) {
        const word = rest.trim().toLowerCase();
        if (/^(answers?|report|results?)$/.test(word)) return { action: "membercheck.report", args: {} };
        return { action: "membercheck.new", args: {} };
      },
    },
  ],
};
