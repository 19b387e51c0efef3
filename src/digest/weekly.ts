import { randomUUID } from "node:crypto";
import type { CoreContext } from "../context.ts";
import { tellPeople } from "../gate.ts";
import { membersWithRoles } from "../access.ts";
import { weekStart } from "../time.ts";
import { roleCan, rolesWith } from "../roles.ts";
import { MAX_CATCH_UP_WEEKS } from "./data.ts";
import { digestWeeksDue, WEEK } from "./rules.ts";
import { buildDigest } from "./build.ts";
import * as say from "./catalogue.ts";
import { chartsFor, digestsBefore, withPictures } from "./pictures.ts";
import type { DigestData } from "./data.ts";
import type { Chart } from "./charts.ts";

/** The weekly sweep: builds each ended week's digest once and sends it to the people who may read it. */

const BATCH = 100;

/** Builds, claims and sends one week's digest. False when it was already there. */
export async function storeAndSendDigest(ctx: CoreContext, programmeId: string, week: Date, now: Date): Promise<boolean> {
  const data = await buildDigest(ctx.db, ctx.settings, programmeId, week);
  const id = randomUUID();
  const charts = await digestCharts(ctx, programmeId, week, data);
  return ctx.db.$transaction(async (tx) => {
    // The unique (programmeId, weekStart) is the claim: a second builder inserts nothing.
    const claim = await tx.digest.createMany({ data: [{ id, programmeId, weekStart: weekStart(week), generatedAt: now, data: data as object }], skipDuplicates: true });
    if (claim.count === 0) return false;
    // Everyone who may read it, through the gate: not while paused, and after their quiet hours.
    const readers = await membersWithRoles(tx, programmeId, rolesWith("digest.view"));
    const exporters = new Set(readers.filter((m) => roleCan(m.role, "evidence.export")).map((m) => m.personId));
    const messages = { plain: say.digestMessage(data, { programmeId }), withExport: say.digestMessage(data, { programmeId, canExport: true }) };
    await tellPeople(tx, now, { kind: "digest", programmeId, personIds: readers.map((m) => m.personId) }, (personId) => ({
      key: `digest:${id}:${personId}`,
      purpose: "digest.weekly",
      message: withPictures(exporters.has(personId) ? messages.withExport : messages.plain, charts, { settings: ctx.settings, digestId: id, readerId: personId, now }),
    }));
    return true;
  });
}

/** Charts are drawn before the claim (they take a moment); a chart that fails leaves the digest without charts, never unsent. */
async function digestCharts(ctx: CoreContext, programmeId: string, week: Date, data: DigestData): Promise<Chart[]> {
  try {
    return await chartsFor(data, await digestsBefore(ctx.db, programmeId, weekStart(week)));
  } catch (error) {
    ctx.log.error("could not draw the digest's charts", { programmeId, error: error instanceof Error ? error.stack : String(error) });
    return [];
  }
}

export async function sendWeeklyDigests(ctx: CoreContext, now: Date): Promise<number> {
  const thisWeek = weekStart(now);
  const lastWeek = new Date(thisWeek.getTime() - WEEK);
  const earliest = new Date(thisWeek.getTime() - MAX_CATCH_UP_WEEKS * WEEK);
  // Weeks are built oldest first, so a programme with last week's digest is up to date.
  const programmes = await ctx.db.programme.findMany({
    where: { createdAt: { lt: thisWeek }, digests: { none: { weekStart: lastWeek } } },
    select: { id: true, createdAt: true, digests: { where: { weekStart: { gte: earliest } }, select: { weekStart: true } } },
    orderBy: { createdAt: "asc" },
    take: BATCH,
  });
  let built = 0;
  for (const programme of programmes) {
    for (const week of digestWeeksDue(now, programme.createdAt, programme.digests.map((d) => d.weekStart))) {
      try {
        if (await storeAndSendDigest(ctx, programme.id, week, now)) built++;
      } catch (error) {
        // One programme's failure must not hold up the others; it is tried again next tick.
        ctx.log.error("could not build a weekly digest", { programmeId: programme.id, week: week.toISOString(), error: error instanceof Error ? error.stack : String(error) });
        break;
      }
    }
  }
  return built;
}
