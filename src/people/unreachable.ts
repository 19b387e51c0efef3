import type { CoreContext } from "../context.ts";
import { tellPeople } from "../gate.ts";
import { membersWithRoles } from "../access.ts";
import { rolesWith } from "../roles.ts";
import * as say from "./catalogue.ts";

const BATCH = 100;

/**
 * The sweep that tells organisers about people whose messages could not be
 * delivered (for example, the app is not installed for them), at most once a
 * day per person, so nobody is silently skipped. The report goes through the
 * gate like any message: not to a paused organiser, and not in their quiet hours.
 */
export async function reportUnreachable(ctx: CoreContext, now: Date): Promise<number> {
  const rows = await ctx.db.outboxMessage.findMany({
    where: { status: "unreachable", reportedAt: null, personId: { not: null } },
    take: BATCH,
    orderBy: { createdAt: "asc" },
  });
  let reported = 0;
  for (const row of rows) {
    const claim = await ctx.db.outboxMessage.updateMany({ where: { id: row.id, reportedAt: null }, data: { reportedAt: now } });
    if (claim.count === 0 || row.purpose === "people.unreachable") continue;
    await ctx.db.$transaction(async (tx) => {
      const person = await tx.person.findUnique({ where: { id: row.personId! }, include: { identities: true, memberships: true } });
      if (!person || person.erasedAt) return;
      const identity = person.identities[0];
      const programmeIds = row.programmeId ? [row.programmeId] : person.memberships.map((m) => m.programmeId);
      const day = now.toISOString().slice(0, 10);
      const message = say.unreachableReport({ displayName: person.displayName, platform: identity?.platform, detail: row.lastError });
      for (const programmeId of programmeIds) {
        const organisers = (await membersWithRoles(tx, programmeId, rolesWith("reports.unreachable"))).map((m) => m.personId).filter((id) => id !== person.id);
        await tellPeople(tx, now, { kind: "report", programmeId, personIds: organisers }, (organiserId) => ({
          key: `unreachable:${person.id}:${programmeId}:${organiserId}:${day}`,
          purpose: "people.unreachable",
          message,
        }));
      }
      reported++;
    });
  }
  return reported;
}
