import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { World } from "../../support/world.ts";
import { generateProgramme, planProgramme, type SyntheticSummary } from "../../../src/demo/synthetic.ts";
import { buildDigest, type DigestData } from "../../../src/digest/index.ts";
import { startExport, type ExportKind } from "../../../src/evidence/index.ts";
import { ROLE_LABELS, type Role } from "../../../src/roles.ts";

/**
 * The synthetic programme, and the digest's figures against figures this file
 * works out itself from the generated rows (never by calling the digest's code).
 */

const DAY_MS = 86_400_000;
const NOW = new Date("2026-03-19T12:00:00Z"); // a Thursday: six weeks from Monday 9 February
const WEEK_FROM = new Date("2026-03-09T00:00:00Z"); // the last whole week
const WEEK_END = new Date("2026-03-16T00:00:00Z");
const r1 = (n: number) => Math.round(n * 10) / 10;
function middle(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}
const within = (at: Date | null | undefined, from = WEEK_FROM, to = WEEK_END) => Boolean(at && at >= from && at < to);

let world: World;
let summary: SyntheticSummary;
let digest: DigestData;

beforeAll(async () => {
  world = await World.open();
  world.clock.set(NOW);
  summary = await generateProgramme(world.ctx, { people: 60, weeks: 6, seed: 7 });
  digest = await buildDigest(world.prisma, world.ctx.settings, summary.programmeId, WEEK_FROM);
}, 180_000);

afterAll(async () => {
  await world?.close();
});

describe("the synthetic programme", () => {
  it("is the same for the same seed and different for another, without touching the database", () => {
    const plan = (seed: number) => planProgramme({ people: 60, weeks: 6, seed, programmeId: "p", now: NOW, minGroupSize: 5, answerSecret: "s" });
    const shape = (seed: number) => {
      const { rows, people } = plan(seed);
      return {
        counts: Object.fromEntries(Object.entries(rows).map(([table, list]) => [table, list.length])),
        roles: people.map((p) => p.role),
        numbers: rows.responses.map((r) => r.number ?? r.text),
        statuses: rows.items.map((i) => i.status),
      };
    };
    expect(shape(7)).toEqual(shape(7));
    expect(shape(8)).not.toEqual(shape(7));
  });

  it("has every role in realistic shares, consent refusals, pauses, erasures, every loop and an anonymous series", async () => {
    const roles = await world.prisma.membership.groupBy({ by: ["role"], where: { programmeId: summary.programmeId }, _count: { _all: true } });
    const count = (role: Role) => roles.find((r) => r.role === role)?._count._all ?? 0;
    expect(count("expert_by_experience")).toBeGreaterThan(count("professional"));
    expect(count("professional")).toBeGreaterThan(count("commissioner"));
    for (const role of ["commissioner", "facilitator", "evaluator"] as const) expect(count(role)).toBeGreaterThanOrEqual(1);
    expect(summary).toMatchObject({ people: 60 });
    expect(summary.refused + summary.paused + summary.erased).toBeGreaterThan(0);
    expect(summary.answers).toBeGreaterThan(300);
    expect(summary.ideas).toBeGreaterThan(5);
    expect(summary.tasters).toBeGreaterThan(0);
    expect(summary.panels).toBeGreaterThan(0);
    const series = await world.prisma.promptSeries.findMany({ where: { programmeId: summary.programmeId } });
    expect(series.filter((s) => s.anonymous)).toHaveLength(1);
    expect(series.map((s) => s.stage).sort()).toEqual(["baseline", "end", "midpoint", null, null]);
    expect(await world.prisma.feedbackUpdateItem.count({ where: { outcome: "working" } })).toBeGreaterThan(0);
    expect(await world.prisma.feedbackReaction.count()).toBeGreaterThan(0);
    expect(await world.prisma.tasterSignup.count({ where: { status: "waitlisted" } })).toBeGreaterThan(0);
    expect(await world.prisma.debriefResponse.count()).toBeGreaterThan(0);
    expect(await world.prisma.person.count({ where: { identities: { some: { externalId: { startsWith: "synthetic-7-" } } } } })).toBe(60 - summary.erased);
  });

  it("stores nothing said by people who refused consent, and nothing that links an anonymous answer to anyone", async () => {
    const refusals = await world.prisma.consentRecord.findMany({ where: { programmeId: summary.programmeId, kind: "participation", granted: false } });
    const refused = refusals.map((r) => r.personId);
    expect(refused.length).toBeGreaterThan(0);
    expect(await world.prisma.promptResponse.count({ where: { personId: { in: refused } } })).toBe(0);
    expect(await world.prisma.feedbackItem.count({ where: { raisedById: { in: refused } } })).toBe(0);
    expect(await world.prisma.tasterSignup.count({ where: { personId: { in: refused } } })).toBe(0);
    expect(await world.prisma.debriefResponse.count({ where: { personId: { in: refused } } })).toBe(0);
    expect(await world.prisma.promptDelivery.count({ where: { personId: { in: refused }, status: { not: "skipped" } } })).toBe(0);
    const anonymous = await world.prisma.promptResponse.findMany({ where: { occurrence: { series: { anonymous: true } } } });
    expect(anonymous.length).toBeGreaterThan(0);
    expect(anonymous.every((a) => a.personId === null && a.answeredAt.getUTCHours() === 0)).toBe(true);
    expect(await world.prisma.promptDelivery.count({ where: { occurrence: { series: { anonymous: true } }, status: "answered" } })).toBe(0);
  });
});

describe("the digest of a synthetic week, against figures worked out from the rows", () => {
  it("counts the people taking part, all together and by role where shown", async () => {
    const db = world.prisma;
    const where = { gte: WEEK_FROM, lt: WEEK_END };
    const taking: { personId: string; role: Role }[] = [
      ...(await db.promptDelivery.findMany({ where: { answeredAt: where } })),
      ...(await db.promptResponse.findMany({ where: { answeredAt: where, personId: { not: null } } })).map((r) => ({ personId: r.personId!, role: r.role! })),
      ...(await db.feedbackItem.findMany({ where: { createdAt: where, raisedById: { not: null } } })).map((i) => ({ personId: i.raisedById!, role: i.raisedByRole })),
      ...(await db.tasterSignup.findMany({ where: { attended: true, taster: { startsAt: where } } })),
      ...(await db.panelMember.findMany({ where: { attended: { not: false }, panel: { startsAt: where } } })),
      ...(await db.debriefResponse.findMany({ where: { submittedAt: where, personId: { not: null } } })).map((d) => ({ personId: d.personId!, role: d.role })),
    ];
    const people = new Set(taking.map((t) => t.personId));
    expect(people.size).toBeGreaterThanOrEqual(5);
    expect(digest.participation.people).toBe(people.size);
    for (const row of digest.participation.byRole) {
      const role = (Object.keys(ROLE_LABELS) as Role[]).find((r) => ROLE_LABELS[r] === row.label);
      if (!role || row.hidden) continue;
      expect(row.people).toBe(new Set(taking.filter((t) => t.role === role).map((t) => t.personId)).size);
    }
  });

  it("gives the open ideas, the median days to a first reply and the ideas answered by a \"we did\" update", async () => {
    const ideas = await world.prisma.feedbackItem.findMany({ where: { programmeId: summary.programmeId } });
    const open = ideas.filter((i) => i.createdAt < WEEK_END && (!i.closedAt || i.closedAt >= WEEK_END));
    expect(digest.measures!.ideas.open).toBe(open.length);
    const replied = ideas.filter((i) => i.firstRespondedAt && i.firstRespondedAt < WEEK_END).map((i) => (i.firstRespondedAt!.getTime() - i.createdAt.getTime()) / DAY_MS);
    expect(replied.length).toBeGreaterThan(3);
    expect(digest.measures!.ideas.daysToFirstReplySoFar).toMatchObject({ ideas: replied.length, median: r1(middle(replied)!) });
    const answered = await world.prisma.feedbackUpdateItem.findMany({ where: { update: { postedAt: { gte: WEEK_FROM, lt: WEEK_END } } }, include: { item: true, update: true } });
    expect(digest.measures!.weDidAnswered.asked).toBe(answered.filter((a) => a.item.raisedById && a.item.raisedById !== a.update.authorId).length);
  });

  it("gives each week's taster funnel", async () => {
    const tasters = await world.prisma.taster.findMany({ where: { programmeId: summary.programmeId }, include: { signups: true }, orderBy: { startsAt: "asc" } });
    const taster = tasters.at(-1)!;
    const week = new Date(Date.UTC(taster.startsAt.getUTCFullYear(), taster.startsAt.getUTCMonth(), taster.startsAt.getUTCDate() - ((taster.startsAt.getUTCDay() + 6) % 7)));
    const funnel = (await buildDigest(world.prisma, world.ctx.settings, summary.programmeId, week)).measures!.tasterFunnel;
    const s = taster.signups;
    expect(funnel).toMatchObject({
      sessions: 1,
      signedUp: s.length,
      waiting: s.filter((x) => x.status === "waitlisted").length,
      offered: s.filter((x) => x.offeredAt).length,
      attended: s.filter((x) => x.attended === true).length,
      expectations: { yes: s.filter((x) => x.expectationsMet === "yes").length, partly: s.filter((x) => x.expectationsMet === "partly").length, no: s.filter((x) => x.expectationsMet === "no").length },
    });
    expect(funnel.signedUp).toBeGreaterThan(funnel.attended);
  });

  it("gives the change in scores from the baseline to the middle", async () => {
    const series = await world.prisma.promptSeries.findMany({ where: { programmeId: summary.programmeId, stage: { in: ["baseline", "midpoint"] } }, include: { questions: true } });
    const question = "How much do you know about co-production right now?";
    const scores = async (stage: string) => {
      const s = series.find((x) => x.stage === stage)!;
      const q = s.questions.find((x) => x.text === question)!;
      const rows = await world.prisma.promptResponse.findMany({ where: { questionId: q.id, personId: { not: null }, answeredAt: { lt: WEEK_END } } });
      return new Map(rows.map((r) => [r.personId!, r.number!]));
    };
    const before = await scores("baseline");
    const after = await scores("midpoint");
    const changes = [...after].flatMap(([person, n]) => (before.has(person) ? [n - before.get(person)!] : []));
    expect(changes.length).toBeGreaterThanOrEqual(5);
    const figure = digest.stages.changes.find((c) => c.question === question && c.from === "baseline" && c.to === "midpoint");
    expect(figure?.allRoles).toEqual({ people: changes.length, medianChange: r1(middle(changes)!) });
  });
});

describe("the exports of a synthetic programme", () => {
  const evaluator = async () => (await world.prisma.membership.findFirstOrThrow({ where: { programmeId: summary.programmeId, role: "evaluator" } })).personId;
  const csvOf = async (what: ExportKind) => {
    const { stream } = await startExport(world.ctx, { programmeId: summary.programmeId, readerId: await evaluator(), request: { what, format: "csv" }, via: "chat" });
    let text = "";
    for await (const chunk of stream) text += chunk.toString();
    return text;
  };

  it("hold no names, platform ids or person ids", async () => {
    const people = await world.prisma.person.findMany({ include: { identities: true } });
    const secrets = people.flatMap((p) => [p.displayName, p.id, ...p.identities.map((i) => i.externalId)]);
    for (const what of ["answers", "ideas", "tasters", "debriefs"] as const) {
      const csv = await csvOf(what);
      expect(csv.split("\n").length).toBeGreaterThan(2);
      for (const secret of secrets) expect(csv).not.toContain(secret);
    }
  });

  it("name a role only where five or more of it were asked, and carry written words only from people who agreed to be quoted", async () => {
    const rows = parse(await csvOf("answers"), { bom: true, columns: true }) as Record<string, string>[];
    const asked = await world.prisma.promptDelivery.groupBy({ by: ["occurrenceId", "role"], where: { status: { not: "skipped" } }, _count: { _all: true } });
    const askedOf = (occurrenceId: string, label: string) => asked.find((a) => a.occurrenceId === occurrenceId && ROLE_LABELS[a.role] === label)?._count._all ?? 0;
    const labelled = rows.filter((r) => r.role !== "Someone");
    expect(labelled.length).toBeGreaterThan(0);
    for (const r of labelled) expect(askedOf(r.occurrence_id!, r.role!)).toBeGreaterThanOrEqual(5);

    const quotable = new Set((await world.prisma.consentRecord.findMany({ where: { kind: "quotation", granted: true } })).map((c) => c.personId));
    const texts = await world.prisma.promptResponse.findMany({ where: { text: { not: null } }, include: { occurrence: { include: { series: true } } } });
    const named = texts.filter((t) => !t.occurrence.series.anonymous);
    expect(rows.filter((r) => r.answer_text !== "" && r.anonymous !== "yes").length).toBe(named.filter((t) => quotable.has(t.personId!)).length);
    expect(rows.filter((r) => r.text_withheld === "no consent to quote").length).toBe(named.filter((t) => !quotable.has(t.personId!)).length);
    expect(named.some((t) => !quotable.has(t.personId!))).toBe(true);
  });
});
