import type { DbTx } from "../db/database.ts";

/**
 * Support contacts: the NDTi evaluation found the emotional load of taking part
 * "was underestimated". Each programme's facilitator writes who people can turn
 * to; wesaid offers it in the welcome, in help, after hard questions and when
 * someone pauses. Until it is set, people get the national numbers.
 */
export async function supportTextOf(db: DbTx, programmeId: string): Promise<string> {
  const programme = await db.programme.findUnique({ where: { id: programmeId }, select: { supportText: true } });
  return programme?.supportText ?? "";
}

/** The support words of every programme a person is in, by programme name (one query). */
export async function supportForPerson(db: DbTx, personId: string): Promise<{ programmeName: string; text: string }[]> {
  const memberships = await db.membership.findMany({ where: { personId }, select: { programme: { select: { name: true, supportText: true } } }, orderBy: { joinedAt: "asc" } });
  return memberships.map((m) => ({ programmeName: m.programme.name, text: m.programme.supportText }));
}

export async function setSupportText(db: DbTx, programmeId: string, text: string): Promise<void> {
  await db.programme.update({ where: { id: programmeId }, data: { supportText: text } });
}
