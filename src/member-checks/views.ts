import type { CoreContext } from "../context.ts";
import { formatDate } from "../time.ts";

/** The programme's sent checks, newest first, for the evaluator to choose from. */
export async function recentChecks(ctx: CoreContext, programmeId: string, timeZone: string): Promise<{ id: string; title: string; sentOn: string }[]> {
  const checks = await ctx.db.memberCheck.findMany({ where: { programmeId, sentAt: { not: null } }, orderBy: { sentAt: "desc" }, take: 20 });
  return checks.map((c) => ({ id: c.id, title: c.title, sentOn: formatDate(c.sentAt!, timeZone) }));
}
