import type { MemberCheck } from "../generated/prisma/client.ts";
import { askedByCheck } from "../member-checks/index.ts";
import { publishTotal, type PeopleByRole } from "../suppression.ts";
import { codesFor } from "../coding/index.ts";
import { ExportPeople } from "./people.ts";
import { batches } from "./batches.ts";
import type { Row, Source } from "./rows.ts";
import { BATCH_SIZE, isoOrEmpty } from "./rules.ts";

/**
 * One row per answer to a member check, answered in the range. The role is named only where N or
 * more people of it were asked (those it was delivered to, and those who answered: asked.ts); the
 * comment only with quoting consent.
 */
export async function* memberCheckRows({ db, settings, programme, range, batchSize = BATCH_SIZE }: Source): AsyncGenerator<Row[]> {
  const people = new ExportPeople(db, settings, programme.id);
  const checks = new Map<string, { check: MemberCheck; asked: PeopleByRole; total: number }>();
  for await (const batch of batches(batchSize, (after, take) =>
    db.memberCheckResponse.findMany({
      where: { memberCheck: { programmeId: programme.id }, answeredAt: { gte: range.from, lt: range.end }, ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: "asc" },
      take,
    }),
  )) {
    await people.learnConsent(batch.map((r) => r.personId));
    const unknown = [...new Set(batch.map((r) => r.memberCheckId))].filter((id) => !checks.has(id));
    const found = unknown.length ? await db.memberCheck.findMany({ where: { id: { in: unknown } }, include: { responses: { select: { role: true, answeredAt: true } } } }) : [];
    const askedOf = await askedByCheck(db, found);
    for (const { responses: _, ...check } of found) {
      const asked = askedOf.get(check.id)!;
      checks.set(check.id, { check, asked, total: Object.values(asked).reduce((a, b) => a + (b ?? 0), 0) });
    }
    const codes = await codesFor(db, batch.map((r) => r.id));
    yield batch.map((r) => {
      const { check, asked, total } = checks.get(r.memberCheckId)!;
      const comment = people.words(r.personId, r.comment);
      return {
        response_id: r.id,
        programme_id: programme.id,
        programme: programme.name,
        check_id: check.id,
        check: check.title,
        summary: check.summary,
        sent_at: isoOrEmpty(check.sentAt),
        closes_at: isoOrEmpty(check.closesAt),
        asked: publishTotal(total, settings.minGroupSize) ?? "",
        person: people.id(r.personId),
        role: people.labeller(asked)(r.role),
        answer: r.verdict,
        comment: comment.text,
        text_withheld: comment.withheld,
        answered_at: r.answeredAt.toISOString(),
        updated_at: r.updatedAt.toISOString(),
        theme_codes: codes.get(r.id) ?? "",
      };
    });
  }
}
