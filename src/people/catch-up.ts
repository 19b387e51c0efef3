import type { DbTx } from "../db/database.ts";

/** What someone who joined late needs first: recent "we did" updates and ideas still open. */
export async function catchUpFor(db: DbTx, programmeId: string) {
  const programme = await db.programme.findUniqueOrThrow({ where: { id: programmeId } });
  const updates = await db.feedbackUpdate.findMany({ where: { programmeId }, orderBy: { postedAt: "desc" }, take: 5 });
  const openItems = await db.feedbackItem.findMany({
    where: { programmeId, status: { in: ["received", "considering", "agreed"] } },
    orderBy: { createdAt: "desc" },
    take: 10,
  });
  return { programme, updates, openItems };
}
