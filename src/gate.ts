import type { DbTx } from "./db/database.ts";
import { enqueue, type Outgoing } from "./outbox.ts";
import { nextAllowedTime } from "./time.ts";

/**
 * "May I message this person, and when?" — decided here and nowhere else, for
 * a whole fan-out at once (a fixed handful of queries, whatever the number of
 * people). Every sweep and every "tell this person" path asks this gate.
 */

type KindPolicy = {
  /**
   * Needs the person's yes to the programme's current consent words. Only the
   * welcome and the consent question itself go to someone who has not said yes
   * to the current words (never answered, said no, withdrew, or the words changed).
   */
  needsConsent: boolean;
  /** Waits for the end of the person's quiet hours. */
  quietHours: boolean;
};

/** Kinds of message a person can be sent, and the rules each follows. Data: change a row to change a rule. */
export const MESSAGE_KINDS = {
  /** The welcome and consent question after joining: it asks for consent, so cannot need it; sent as they join. */
  welcome: { needsConsent: false, quietHours: false },
  /** The consent question asked again because the programme's consent words changed. */
  consent: { needsConsent: false, quietHours: true },
  /** A question set from a prompt series. */
  prompt: { needsConsent: true, quietHours: true },
  /** A reminder about something not yet answered; counts against the person's reminder limit. */
  reminder: { needsConsent: true, quietHours: true },
  /** News about an idea or action: status, owner, "we did", nudges to owners. */
  feedback: { needsConsent: true, quietHours: true },
  /** Taster invitations, offers of a place, changes and cancellations. */
  taster: { needsConsent: true, quietHours: true },
  /** A question after a taster or a panel (was it what you expected, the debrief). */
  followup: { needsConsent: true, quietHours: true },
  /** Panel invitations and preparation. */
  panel: { needsConsent: true, quietHours: true },
  /** The weekly digest for evaluators and facilitators. */
  digest: { needsConsent: true, quietHours: true },
  /** A summary of emerging themes sent to participants: "Did we get this right?" (member checking). */
  membercheck: { needsConsent: true, quietHours: true },
  /** The introduction a late joiner gets over their first days (src/induction); "Stop the introduction" is its opt-out. */
  induction: { needsConsent: true, quietHours: true },
  /** Reports to organisers, such as people we could not reach. */
  report: { needsConsent: true, quietHours: true },
} as const satisfies Record<string, KindPolicy>;

export type MessageKind = keyof typeof MESSAGE_KINDS;

export type HoldReason = "paused" | "no_consent" | "consent_outdated" | "not_a_member" | "erased" | "opted_out" | "unreachable" | "reminder_limit";

export type Decision =
  /** May be sent at `at` (now, or when their quiet hours end). `timeZone` is theirs, for writing dates. */
  | { send: true; at: Date; timeZone: string }
  | { send: false; reason: HoldReason };

export type RecipientsRequest = {
  kind: MessageKind;
  programmeId: string;
  personIds: readonly string[];
  /** An opt-out scope the person may have chosen, e.g. `series:<id>`. */
  scope?: string;
  /** For reminders: how many each person has had for this item, and the item's own limit. */
  reminders?: { sent: ReadonlyMap<string, number>; max: number };
};

const DEFAULTS = { timeZone: "Europe/London", quietStart: 21 * 60, quietEnd: 8 * 60, reminderLimit: 2, pausedAt: null as Date | null };

/** The gate's decision for each person asked about (every id in the request has an entry). */
export async function recipients(db: DbTx, now: Date, request: RecipientsRequest): Promise<Map<string, Decision>> {
  const ids = [...new Set(request.personIds)];
  const decisions = new Map<string, Decision>();
  if (ids.length === 0) return decisions;
  const policy: KindPolicy = MESSAGE_KINDS[request.kind];
  const [programme, members, prefs, identities, consents, optOuts] = await Promise.all([
    db.programme.findUnique({ where: { id: request.programmeId }, select: { consentVersion: true } }),
    db.membership.findMany({ where: { programmeId: request.programmeId, personId: { in: ids } }, select: { personId: true, person: { select: { erasedAt: true } } } }),
    db.preference.findMany({ where: { personId: { in: ids } } }),
    db.platformIdentity.findMany({ where: { personId: { in: ids } }, select: { personId: true, reachable: true } }),
    policy.needsConsent
      ? db.consentRecord.findMany({ where: { programmeId: request.programmeId, personId: { in: ids }, kind: "participation" }, orderBy: { recordedAt: "desc" } })
      : Promise.resolve([]),
    request.scope ? db.messageOptOut.findMany({ where: { personId: { in: ids }, scope: request.scope }, select: { personId: true } }) : Promise.resolve([]),
  ]);
  const member = new Map(members.map((m) => [m.personId, m]));
  const prefOf = new Map(prefs.map((p) => [p.personId, p]));
  const reachable = new Set(identities.filter((i) => i.reachable).map((i) => i.personId));
  const hasIdentity = new Set(identities.map((i) => i.personId));
  const consentOf = new Map<string, (typeof consents)[number]>();
  for (const c of consents) if (!consentOf.has(c.personId)) consentOf.set(c.personId, c);
  const optedOut = new Set(optOuts.map((o) => o.personId));

  for (const personId of ids) {
    const m = member.get(personId);
    const pref = prefOf.get(personId) ?? DEFAULTS;
    const consent = consentOf.get(personId);
    const hold = (reason: HoldReason) => decisions.set(personId, { send: false, reason });
    if (!m) hold("not_a_member");
    else if (m.person.erasedAt) hold("erased");
    else if (pref.pausedAt) hold("paused");
    else if (policy.needsConsent && consent && consent.policyVersion < (programme?.consentVersion ?? 1)) hold("consent_outdated");
    else if (policy.needsConsent && consent?.granted !== true) hold("no_consent");
    else if (optedOut.has(personId)) hold("opted_out");
    else if (hasIdentity.has(personId) && !reachable.has(personId)) hold("unreachable");
    else if (request.reminders && (request.reminders.sent.get(personId) ?? 0) >= Math.min(request.reminders.max, pref.reminderLimit)) hold("reminder_limit");
    else decisions.set(personId, { send: true, at: policy.quietHours ? nextAllowedTime(now, pref) : now, timeZone: pref.timeZone });
  }
  return decisions;
}

/** The gate's decision for one person. */
export async function recipient(db: DbTx, now: Date, request: Omit<RecipientsRequest, "personIds"> & { personId: string }): Promise<Decision> {
  return (await recipients(db, now, { ...request, personIds: [request.personId] })).get(request.personId)!;
}

/**
 * Queues a private message for each person the gate lets through, at the time
 * it allows. `make` builds each person's message (with their time zone for dates).
 * Returns the ids of the people who will be told.
 */
export async function tellPeople(
  tx: DbTx,
  now: Date,
  request: RecipientsRequest,
  make: (personId: string, timeZone: string) => Omit<Outgoing, "notBefore" | "personId" | "channelId" | "replaceKey" | "programmeId"> | null,
): Promise<string[]> {
  const decisions = await recipients(tx, now, request);
  const told: string[] = [];
  const items: Outgoing[] = [];
  for (const [personId, decision] of decisions) {
    if (!decision.send) continue;
    const made = make(personId, decision.timeZone);
    if (!made) continue;
    items.push({ ...made, personId, programmeId: request.programmeId, notBefore: decision.at });
    told.push(personId);
  }
  await enqueue(tx, now, ...items);
  return told;
}
