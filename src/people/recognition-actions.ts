import { z } from "zod";
import { stringify } from "csv-stringify/sync";
import { WesaidError } from "../errors.ts";
import type { Feature } from "../interactions.ts";
import { defineAction } from "../registry.ts";
import { ROLE_LABELS, ROLES, nameWithoutRole, type Role } from "../roles.ts";
import { formatDate } from "../time.ts";
import { timeZoneOf } from "./preferences.ts";
import { contributionSummary, programmeTotals, ratesOf, setRate } from "./recognition.ts";
import { penceOf } from "./rules.ts";
import { privately } from "./views.ts";
import { contributionTotalsView, myContribution, pounds, ratesView, recognitionHelp, recognitionText, thankYouFile } from "./recognition-catalogue.ts";

/** Recognition's chat wiring: a person's thank-you file; the programme's rates and totals for facilitators. */

const inProgramme = z.object({ programmeId: z.string().min(1).optional() });

const mine = defineAction({
  action: "people.my_contribution",
  access: "member",
  args: inProgramme,
  async run(ctx, { actor, membership }) {
    const [summary, programme, timeZone] = await Promise.all([
      contributionSummary(ctx.db, actor.person.id, membership.programmeId),
      ctx.db.programme.findUniqueOrThrow({ where: { id: membership.programmeId }, select: { name: true } }),
      timeZoneOf(ctx.db, actor.person.id),
    ]);
    if (!summary.activities || !summary.from || !summary.to) throw new WesaidError("invalid_input", recognitionText.nothingYet);
    const file = thankYouFile({
      name: actor.person.displayName,
      programme: programme.name,
      totalMinutes: summary.totalMinutes,
      lines: summary.lines,
      from: formatDate(summary.from, timeZone),
      to: formatDate(summary.to, timeZone),
      made: formatDate(ctx.clock.now(), timeZone),
    });
    return { private: myContribution({ programme: programme.name, totalMinutes: summary.totalMinutes, lines: summary.lines, file }) };
  },
});

const rate = defineAction({
  action: "people.rate",
  access: "recognition.manage",
  args: z.object({
    programmeId: z.string().min(1).optional(),
    role: z.string().refine((r) => (ROLES as readonly string[]).includes(r), recognitionText.whichRole).transform((r) => r as Role),
    amount: z.string().refine((a) => penceOf(a) !== null, recognitionText.notAnAmount),
    per: z.string().refine((p) => p === "hour" || p === "activity", recognitionText.whichUnit).transform((p) => p as "hour" | "activity"),
  }),
  labels: { role: "Role", amount: "Amount", per: "Per hour or per activity" },
  async run(ctx, { actor, args, membership }) {
    const pence = penceOf(args.amount)!;
    await setRate(ctx, { programmeId: membership.programmeId, role: args.role, per: args.per, pence, actorId: actor.person.id });
    return privately(recognitionText.rateSet(args.role, pounds(pence), args.per));
  },
});

const rates = defineAction({
  action: "people.rates",
  access: "recognition.manage",
  args: inProgramme,
  async run(ctx, { membership }) {
    const programme = await ctx.db.programme.findUniqueOrThrow({ where: { id: membership.programmeId }, select: { name: true } });
    return { private: ratesView({ programme: programme.name, rates: await ratesOf(ctx.db, membership.programmeId) }) };
  },
});

const totals = defineAction({
  action: "people.contribution_totals",
  access: "recognition.manage",
  args: inProgramme,
  async run(ctx, { actor, membership }) {
    const programme = await ctx.db.programme.findUniqueOrThrow({ where: { id: membership.programmeId }, select: { name: true } });
    const t = await programmeTotals(ctx, membership.programmeId, actor.person.id);
    const csv = stringify(
      t.people.map((p) => [nameWithoutRole(p.name), ROLE_LABELS[p.role], (p.minutes / 60).toFixed(2), p.activities, (p.pence / 100).toFixed(2)]),
      { bom: true, record_delimiter: "windows", escape_formulas: true, header: true, columns: ["name", "role", "hours", "activities", "amount_gbp"] },
    );
    const ratesSet = t.rates.some((r) => r.pencePerHour || r.pencePerActivity);
    return { private: contributionTotalsView({ programme: programme.name, roles: t.roles, totalPence: t.totalPence, ratesSet, csv }) };
  },
});

/** "expert by experience £25 per hour" → role, amount, per; anything it cannot read is left to the schema's sentences. */
export function rateArgs(rest: string): Record<string, string> {
  const m = /^(.*?)\s+(£?\s*[\d.]+)\s*(?:(?:per|an?|each|for each)\s+)?(\w+)?\s*$/i.exec(rest.trim());
  if (!m) throw new WesaidError("invalid_input", recognitionText.whichRole);
  const role = (m[1] ?? "").toLowerCase().replace(/s$/, "").replace(/[\s-]+/g, "_");
  const per = (m[3] ?? "").toLowerCase().replace(/s$/, "").replace(/^activitie$/, "activity");
  return { role, amount: m[2] ?? "", per };
}

export const recognitionWiring: Pick<Feature, "actions" | "commands"> = {
  actions: [mine, rate, rates, totals],
  commands: [
    { name: "my-contribution", aliases: ["thank-you"], ...recognitionHelp.myContribution, toAction: () => ({ action: "people.my_contribution", args: {} }) },
    { name: "rate", ...recognitionHelp.rate, capability: "recognition.manage", toAction: (rest) => ({ action: "people.rate", args: rateArgs(rest) }) },
    { name: "rates", ...recognitionHelp.rates, capability: "recognition.manage", toAction: () => ({ action: "people.rates", args: {} }) },
    { name: "contribution-totals", ...recognitionHelp.totals, capability: "recognition.manage", toAction: () => ({ action: "people.contribution_totals", args: {} }) },
  ],
};
