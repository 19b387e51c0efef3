import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { World } from "../../support/world.ts";
import { backends } from "../../support/databases.ts";
import { MINUTE } from "../../../src/clock.ts";
import { joinProgramme, recordConsent } from "../../../src/people/index.ts";
import { applyRetention, lastActivity, sweepRetention } from "../../../src/retention/index.ts";
import { addMonths, retentionPlan } from "../../../src/retention/rules.ts";
import { busyProgramme } from "./busy-programme.ts";

/**
 * A programme's data is deleted a retention period (24 months by default)
 * after its last activity, by a sweep on the clock: just inside the window
 * everything stays, just outside all of it is gone; running it again changes
 * nothing; two sweeps at once delete once.
 */

describe("retention rules", () => {
  it("counts calendar months, and deletes from the exact moment the period ends", () => {
    expect(addMonths(new Date("2026-03-10T16:00:00Z"), 24).toISOString()).toBe("2028-03-10T16:00:00.000Z");
    expect(addMonths(new Date("2026-01-31T00:00:00Z"), 1).toISOString()).toBe("2026-02-28T00:00:00.000Z");
    const lastActivity = new Date("2026-03-10T16:00:00Z");
    expect(retentionPlan({ lastActivity, months: 24, now: new Date("2028-03-10T15:59:59Z") }).kind).toBe("keep");
    expect(retentionPlan({ lastActivity, months: 24, now: new Date("2028-03-10T16:00:00Z") }).kind).toBe("delete");
  });
});

describe.each(backends())("retention on %s", (backend) => {
  let world: World;
  beforeAll(async () => {
    world = await World.open(backend);
  });
  afterAll(() => world.close());
  beforeEach(() => world.reset());

  /** Every row of every table, as text: what someone holding the database would see. */
  async function dump(): Promise<string[]> {
    const tables = await world.prisma.$queryRawUnsafe<{ t: string }[]>("SELECT tablename::text AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
    const rows: string[] = [];
    for (const { t } of tables) rows.push(...(await world.prisma.$queryRawUnsafe<{ r: string }[]>(`SELECT x::text AS r FROM "${t}" x`)).map((x) => `${t}: ${x.r}`));
    return rows;
  }
  const mentioning = (rows: string[], ...needles: string[]) => rows.filter((r) => needles.some((n) => r.includes(n)));

  async function twoProgrammes() {
    const a = await busyProgramme(world, "Alpha programme", "Alphaqz");
    const b = await busyProgramme(world, "Bravo programme", "Bravoqz", "2026-03-16");
    // Priya from Bravo is in Alpha too: she must survive Alpha's deletion.
    await joinProgramme(world.ctx, { personId: b.priya.id, programmeId: a.programme.id, role: "commissioner" });
    await recordConsent(world.ctx, { personId: b.priya.id, programmeId: a.programme.id, participation: true, quotation: false });
    const aLast = await lastActivity(world.prisma, a.programme.id);
    const bLast = await lastActivity(world.prisma, b.programme.id);
    // The last things done: Alpha's taster ended at 4pm on Tuesday 10 March, Bravo's two weeks later.
    expect([aLast.toISOString(), bLast.toISOString()]).toEqual(["2026-03-10T16:00:00.000Z", "2026-03-24T16:00:00.000Z"]);
    return { a, b, aLast, bLast };
  }

  it("keeps a programme just inside its 24 months, deletes all of it just outside, and leaves the other programme whole", async () => {
    const { a, b, aLast, bLast } = await twoProgrammes();
    const aIds = [a.programme.id, a.jo.id, a.priya.id, a.eve.id, a.fac.id, a.jo.externalId, a.named.id, a.anonymous.id, a.taster.id, a.panel.id];

    // One minute before the 24 months are up: everything stays (the sweeps of the other loops run too).
    world.clock.set(new Date(addMonths(aLast, 24).getTime() - MINUTE));
    await world.tick();
    expect(await world.prisma.programme.count()).toBe(2);
    const inside = await dump();
    for (const words of a.words) expect(mentioning(inside, words).length).toBeGreaterThan(0);

    // At the end of the 24 months: Alpha and everything in it are gone; Bravo is whole.
    world.clock.set(addMonths(aLast, 24));
    const first = await world.tick();
    expect(first.handled["retention.delete"]).toBeGreaterThan(0);
    const after = await dump();
    expect(mentioning(after, "Alphaqz", "Alpha programme", ...aIds).filter((r) => !r.startsWith("AuditEntry:"))).toEqual([]);
    // Only the record that it was deleted remains: no person, no words.
    const audit = mentioning(after, "Alphaqz", ...aIds);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toContain("programme.retention.delete");
    for (const id of [a.jo.id, a.priya.id, a.eve.id, a.fac.id]) expect(audit[0]).not.toContain(id);
    // People only in Alpha are deleted; Priya, in Bravo too, stays with her Bravo membership.
    expect(await world.prisma.person.count({ where: { id: { in: [a.jo.id, a.priya.id, a.eve.id, a.fac.id] } } })).toBe(0);
    expect(await world.prisma.membership.findMany({ where: { personId: b.priya.id }, select: { programmeId: true } })).toEqual([{ programmeId: b.programme.id }]);
    for (const words of b.words) expect(mentioning(after, words).length).toBeGreaterThan(0);
    expect(await world.prisma.promptResponse.count({ where: { occurrence: { series: { programmeId: b.programme.id } } } })).toBeGreaterThan(0);
    expect(await world.prisma.debriefResponse.count()).toBe(1);
    expect(await world.prisma.feedbackReaction.count()).toBe(1);
    expect(await world.prisma.tasterSignup.count()).toBe(1);

    // Running it again changes nothing, now or later (before Bravo's time).
    const fingerprint = JSON.stringify(await dump());
    await world.tick();
    world.clock.set(new Date(addMonths(bLast, 24).getTime() - MINUTE));
    await sweepRetention(world.ctx, world.clock.now());
    expect(await world.prisma.programme.count()).toBe(1);
    expect(await world.prisma.auditEntry.count({ where: { action: "programme.retention.delete" } })).toBe(1);
    expect((await dump()).filter((r) => r.startsWith("DebriefResponse") || r.startsWith("PromptResponse") || r.startsWith("FeedbackItem"))).toEqual(
      (JSON.parse(fingerprint) as string[]).filter((r) => r.startsWith("DebriefResponse") || r.startsWith("PromptResponse") || r.startsWith("FeedbackItem")),
    );

    // Bravo's turn, with two sweeps and a direct deletion racing: it is deleted once, and nothing fails.
    world.clock.set(addMonths(bLast, 24));
    await world.prisma.programme.updateMany({ data: { retentionCheckAt: world.clock.now() } });
    const now = world.clock.now();
    const [, , direct, again] = await Promise.all([
      sweepRetention(world.ctx, now),
      sweepRetention(world.ctx, now),
      applyRetention(world.prisma, now, b.programme.id, 24),
      applyRetention(world.prisma, now, b.programme.id, 24),
    ]);
    expect([direct.kind, again.kind].filter((k) => k === "deleted").length).toBeLessThanOrEqual(1);
    expect(await world.prisma.programme.count()).toBe(0);
    expect(await world.prisma.auditEntry.count({ where: { action: "programme.retention.delete" } })).toBe(2);
    const empty = await dump();
    expect(mentioning(empty, "Bravoqz", "Alphaqz").filter((r) => !r.startsWith("AuditEntry:"))).toEqual([]);
    for (const table of ["PromptResponse", "FeedbackItem", "FeedbackReaction", "TasterSignup", "DebriefResponse", "Digest", "Contribution", "OutboxMessage", "Membership", "ConsentRecord"]) {
      expect(empty.filter((r) => r.startsWith(`${table}:`)), table).toEqual([]);
    }
  }, 120_000); // builds two busy programmes over two years of clock: slow on a loaded machine
});
