import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import { WesaidError } from "../errors.ts";
import { audit } from "../audit.ts";
import { tellPeople } from "../gate.ts";
import * as say from "./catalogue.ts";

/**
 * Consent: the programme's consent words and their version, each person's
 * answers (append-only), withdrawing, and asking everyone again when the words change.
 */

/** Why a queued message was held back, kept on the outbox row (nothing is deleted silently). */
export const WITHHELD = {
  saidNo: "the person said no to taking part",
  wordsChanged: "the consent words changed; the person has not answered the new words yet",
  left: "the person left the programme",
} as const;

/** The outbox key of the consent question for one person and version: asking twice is a no-op. */
export const consentRequestKey = (programmeId: string, version: number, personId: string) => `consent:${programmeId}:v${version}:${personId}`;

/** Holds back every message queued for these people in this programme (not yet being sent), saying why. */
export async function withholdQueued(tx: DbTx, p: { programmeId: string; personIds?: string[]; reason: string }): Promise<number> {
  const { count } = await tx.outboxMessage.updateMany({
    where: { programmeId: p.programmeId, status: "pending", ...(p.personIds ? { personId: { in: p.personIds } } : { personId: { not: null } }) },
    data: { status: "withheld", lastError: p.reason },
  });
  return count;
}

/**
 * Records a person's choices: may we store what they say, and may the
 * evaluation team quote them. `version` is the version of the words they
 * were shown (the current one when not given). Saying no is honoured at once:
 * messages queued for them in the programme are held back.
 */
export async function recordConsent(
  ctx: CoreContext,
  p: { personId: string; programmeId: string; participation: boolean; quotation: boolean; version?: number },
): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    const programme = await tx.programme.findUniqueOrThrow({ where: { id: p.programmeId }, select: { consentVersion: true } });
    const version = p.version ?? programme.consentVersion;
    if (version !== programme.consentVersion) throw new WesaidError("conflict", say.consentText.wordsChangedSinceAsked);
    // The newest record is the one in force: two choices in the same millisecond still keep their order.
    const last = await tx.consentRecord.findFirst({ where: { personId: p.personId, programmeId: p.programmeId }, orderBy: { recordedAt: "desc" }, select: { recordedAt: true } });
    const now = last && last.recordedAt >= ctx.clock.now() ? new Date(last.recordedAt.getTime() + 1) : ctx.clock.now();
    await tx.consentRecord.createMany({
      data: [
        { personId: p.personId, programmeId: p.programmeId, kind: "participation", granted: p.participation, policyVersion: version, recordedAt: now },
        // Being quoted needs taking part: no stored words, nothing to quote.
        { personId: p.personId, programmeId: p.programmeId, kind: "quotation", granted: p.participation && p.quotation, policyVersion: version, recordedAt: now },
      ],
    });
    const withheld = p.participation ? 0 : await withholdQueued(tx, { programmeId: p.programmeId, personIds: [p.personId], reason: WITHHELD.saidNo });
    await audit(tx, now, p.personId, "consent.record", "Person", p.personId, { programmeId: p.programmeId, participation: p.participation, quotation: p.quotation, version, withheld });
  });
}

/** The programme's consent words and version. */
export async function consentWords(db: DbTx, programmeId: string): Promise<{ name: string; text: string; version: number }> {
  const programme = await db.programme.findUniqueOrThrow({ where: { id: programmeId }, select: { name: true, consentText: true, consentVersion: true } });
  return { name: programme.name, text: programme.consentText, version: programme.consentVersion };
}

/**
 * New consent words: the version goes up, every member's queued messages are
 * held back, and each member is asked again (once per version). Until they
 * answer, the gate sends them nothing else and the registry stores nothing they send.
 */
export async function changeConsentWords(ctx: CoreContext, byId: string, p: { programmeId: string; text: string }): Promise<{ version: number; asked: number }> {
  const now = ctx.clock.now();
  const result = await ctx.db.$transaction(async (tx) => {
    // The increment takes the row's lock: two changes at once get two versions, in order.
    const programme = await tx.programme.update({
      where: { id: p.programmeId },
      data: { consentText: p.text, consentVersion: { increment: 1 }, consentChangedAt: now },
    });
    await withholdQueued(tx, { programmeId: p.programmeId, reason: WITHHELD.wordsChanged });
    await audit(tx, now, byId, "consent.words", "Programme", p.programmeId, { version: programme.consentVersion, text: p.text });
    const asked = await askAgain(tx, now, programme.id);
    return { version: programme.consentVersion, asked };
  });
  return result;
}

/**
 * Asks each member who was in the programme when its words last changed, and
 * has not answered the new words nor been sent the question, once. People the
 * gate holds (paused, unreachable) are asked when it lets them through; once
 * everyone has been asked, the programme is marked done for that version.
 */
async function askAgain(tx: DbTx, now: Date, programmeId: string): Promise<number> {
  const programme = await tx.programme.findUniqueOrThrow({ where: { id: programmeId } });
  const version = programme.consentVersion;
  if (programme.consentAskedVersion >= version) return 0;
  const members = await tx.membership.findMany({
    where: { programmeId, person: { erasedAt: null }, ...(programme.consentChangedAt ? { joinedAt: { lte: programme.consentChangedAt } } : {}) },
    select: { personId: true },
  });
  const ids = members.map((m) => m.personId);
  const [answered, sent] = await Promise.all([
    tx.consentRecord.findMany({ where: { programmeId, personId: { in: ids }, kind: "participation", policyVersion: { gte: version } }, select: { personId: true } }),
    tx.outboxMessage.findMany({ where: { key: { in: ids.map((id) => consentRequestKey(programmeId, version, id)) } }, select: { key: true } }),
  ]);
  const done = new Set([...answered.map((r) => r.personId), ...sent.map((s) => s.key.split(":").at(-1)!)]);
  const owed = ids.filter((id) => !done.has(id));
  const message = say.consentQuestion({ programmeName: programme.name, programmeId, text: programme.consentText, version, changed: true });
  const told = await tellPeople(tx, now, { kind: "consent", programmeId, personIds: owed }, (personId) => ({
    key: consentRequestKey(programmeId, version, personId),
    purpose: "people.consent_request",
    message,
  }));
  if (told.length === owed.length) await tx.programme.update({ where: { id: programmeId }, data: { consentAskedVersion: version } });
  return told.length;
}

/** The sweep: asks people the new consent words could not reach at once (paused, for example) when the gate lets them through. */
export async function askForConsentAgain(ctx: CoreContext, now: Date): Promise<number> {
  const programmes = await ctx.db.programme.findMany({ select: { id: true, consentVersion: true, consentAskedVersion: true } });
  let asked = 0;
  for (const programme of programmes.filter((p) => p.consentAskedVersion < p.consentVersion)) {
    asked += await ctx.db.$transaction((tx) => askAgain(tx, now, programme.id));
  }
  return asked;
}

/**
 * Of these people, those whose newest choice in the programme is "yes, you may
 * quote me" — read for everyone in one query.
 */
export async function peopleWhoMayBeQuoted(db: DbTx, programmeId: string, personIds: readonly string[]): Promise<Set<string>> {
  const ids = [...new Set(personIds)];
  if (ids.length === 0) return new Set();
  const records = await db.consentRecord.findMany({
    where: { programmeId, personId: { in: ids }, kind: "quotation" },
    orderBy: { recordedAt: "desc" },
    select: { personId: true, granted: true },
  });
  const newest = new Map<string, boolean>();
  for (const r of records) if (!newest.has(r.personId)) newest.set(r.personId, r.granted);
  return new Set([...newest].filter(([, granted]) => granted).map(([personId]) => personId));
}

/** Of these people, those who said yes to the programme's current consent words (for adding someone else to what is stored). */
export async function peopleWhoAgreed(db: DbTx, programmeId: string, personIds: readonly string[]): Promise<Set<string>> {
  const ids = [...new Set(personIds)];
  if (ids.length === 0) return new Set();
  const [programme, records] = await Promise.all([
    db.programme.findUniqueOrThrow({ where: { id: programmeId }, select: { consentVersion: true } }),
    db.consentRecord.findMany({ where: { programmeId, personId: { in: ids }, kind: "participation" }, orderBy: { recordedAt: "desc" } }),
  ]);
  const newest = new Map<string, (typeof records)[number]>();
  for (const r of records) if (!newest.has(r.personId)) newest.set(r.personId, r);
  return new Set([...newest.values()].filter((r) => r.granted && r.policyVersion >= programme.consentVersion).map((r) => r.personId));
}
