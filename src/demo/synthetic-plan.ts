import { randomUUID } from "node:crypto";
import { DAY, HOUR } from "../clock.ts";
import { responseKeyFor } from "../prompts/index.ts";
import { PARTICIPANT_ROLES, type Role } from "../roles.ts";
import { weekStart } from "../time.ts";
import type { Random } from "./random.ts";
import { CHECK_IN, FIRST_NAMES, HARD, MORE_CHECK_IN, NDTI, ROLE_MIX, SPEAK_FREELY, WENT_WELL } from "./synthetic-words.ts";

/**
 * The synthetic programme's people and prompts as rows, in the shapes the
 * loops write them (see src/prompts/answers.ts and occurrences.ts): pure, from
 * a seeded random source and `now`. Nothing dated after `now` happens.
 */

export const WEEK = 7 * DAY;
type Row = Record<string, unknown>;

export type SyntheticPerson = {
  id: string;
  n: number;
  role: Role;
  displayName: string;
  joinedAt: Date;
  /** Said no to taking part: nothing they say is stored. */
  refused: boolean;
  quotation: boolean;
  pausedAt: Date | null;
  /** Erased at the end, through the people loop's own erasure. */
  erase: boolean;
};

export type Rows = {
  persons: Row[]; identities: Row[]; memberships: Row[]; consents: Row[]; preferences: Row[];
  series: Row[]; questions: Row[]; occurrences: Row[]; deliveries: Row[]; responses: Row[];
  items: Row[]; statusChanges: Row[]; updates: Row[]; updateItems: Row[]; reactions: Row[]; actions: Row[]; coOwners: Row[];
  tasters: Row[]; signups: Row[]; panels: Row[]; panelMembers: Row[]; debriefs: Row[];
};

export const emptyRows = (): Rows => ({
  persons: [], identities: [], memberships: [], consents: [], preferences: [],
  series: [], questions: [], occurrences: [], deliveries: [], responses: [],
  items: [], statusChanges: [], updates: [], updateItems: [], reactions: [], actions: [], coOwners: [],
  tasters: [], signups: [], panels: [], panelMembers: [], debriefs: [],
});

export type Plan = {
  programmeId: string; start: Date; now: Date; weeks: number; minGroupSize: number; answerSecret: string;
  policyVersion: number; platform: string; prefix: string; random: Random; rows: Rows; people: SyntheticPerson[];
  /** Questions in the weekly check-in (at least 2): more make more answers per person, for benchmarks. */
  checkInQuestions: number;
};

/** The Monday the history starts: `weeks` weeks of history, the last one being the week of `now`. */
export const historyStart = (now: Date, weeks: number) => new Date(weekStart(now).getTime() - (weeks - 1) * WEEK);

/** A moment in week k: `days` and `hours` after its Monday. */
export const inWeek = (p: Plan, k: number, days: number, hours: number) => new Date(p.start.getTime() + k * WEEK + days * DAY + hours * HOUR);

export const usable = (p: Plan, at: Date) => at < p.now;

/** Is this person taking part (agreed, not paused) at `at`? */
export const active = (person: SyntheticPerson, at: Date) => !person.refused && person.joinedAt < at && !(person.pausedAt && person.pausedAt <= at);

export function planPeople(p: Plan, count: number): void {
  const { random, rows } = p;
  // Everyone in every role at least once, then the shares of the mix.
  const roles: Role[] = ROLE_MIX.map((m) => m.role);
  for (const m of ROLE_MIX) for (let i = 0; i < Math.round(m.share * count) - 1 && roles.length < count; i++) roles.push(m.role);
  while (roles.length < count) roles.push("expert_by_experience");
  roles.length = count;
  roles.forEach((role, n) => {
    const mix = ROLE_MIX.find((m) => m.role === role)!;
    const late = p.weeks > 2 && random.chance(0.1);
    const joinedAt = late ? inWeek(p, random.int(1, p.weeks - 1), 0, random.int(8, 18)) : new Date(p.start.getTime() - random.int(1, 48) * HOUR);
    const organiser = role === "facilitator" || role === "evaluator";
    const person: SyntheticPerson = {
      id: randomUUID(),
      n,
      role,
      displayName: `${random.pick(FIRST_NAMES)} ${n + 1} (${random.pick(mix.kinds)})`,
      joinedAt: usable(p, joinedAt) ? joinedAt : new Date(p.start.getTime() - HOUR),
      refused: !organiser && random.chance(0.05),
      quotation: random.chance(0.7),
      pausedAt: !organiser && p.weeks > 1 && random.chance(0.05) ? inWeek(p, random.int(1, p.weeks - 1), 0, 9) : null,
      erase: !organiser && random.chance(0.02),
    };
    if (person.pausedAt && !usable(p, person.pausedAt)) person.pausedAt = null;
    p.people.push(person);
    rows.persons.push({ id: person.id, displayName: person.displayName, createdAt: person.joinedAt });
    rows.identities.push({ personId: person.id, platform: p.platform, externalId: `${p.prefix}-${n + 1}`, lastSeenAt: person.joinedAt, createdAt: person.joinedAt });
    rows.memberships.push({ programmeId: p.programmeId, personId: person.id, role, joinedAt: person.joinedAt, welcomedAt: person.joinedAt });
    const consentAt = new Date(person.joinedAt.getTime() + 10 * 60_000);
    rows.consents.push({ personId: person.id, programmeId: p.programmeId, kind: "participation", granted: !person.refused, policyVersion: p.policyVersion, recordedAt: consentAt });
    if (!person.refused) rows.consents.push({ personId: person.id, programmeId: p.programmeId, kind: "quotation", granted: person.quotation, policyVersion: p.policyVersion, recordedAt: consentAt });
    if (person.pausedAt) rows.preferences.push({ personId: person.id, pausedAt: person.pausedAt });
  });
}

type Question = { id: string; kind: "scale" | "text"; text: string; answers?: readonly string[]; optional?: boolean };
type SeriesSpec = { title: string; anonymous: boolean; stage: string | null; templateKey: string | null; questions: Omit<Question, "id">[]; weeks: number[]; closeAfterHours: number };

/** How likely each role is to answer a set of questions they were sent. */
const ANSWER_RATE: Partial<Record<Role, number>> = { expert_by_experience: 0.65, professional: 0.55, commissioner: 0.45, facilitator: 0.5 };

export function planPrompts(p: Plan): void {
  const last = p.weeks - 1;
  const ndti: Omit<Question, "id">[] = [
    { kind: "scale", text: NDTI.know },
    { kind: "scale", text: NDTI.feel },
    { kind: "text", text: NDTI.well, answers: WENT_WELL },
    { kind: "text", text: NDTI.hard, answers: HARD, optional: true },
  ];
  const specs: SeriesSpec[] = [
    { title: CHECK_IN.title, anonymous: false, stage: null, templateKey: null, weeks: [...Array(p.weeks).keys()], closeAfterHours: 120, questions: checkIn(p.checkInQuestions) },
    { title: SPEAK_FREELY.title, anonymous: true, stage: null, templateKey: null, weeks: [...Array(p.weeks).keys()].filter((k) => k % 2 === 0), closeAfterHours: 120, questions: [{ kind: "scale", text: SPEAK_FREELY.scale }, { kind: "text", text: SPEAK_FREELY.text, answers: SPEAK_FREELY.answers }] },
    { title: `${NDTI.title} (start)`, anonymous: false, stage: "baseline", templateKey: "ndti_survey", weeks: [0], closeAfterHours: 14 * 24, questions: ndti },
    ...(last >= 2 ? [{ title: `${NDTI.title} (middle)`, anonymous: false, stage: "midpoint", templateKey: "ndti_survey", weeks: [Math.floor(last / 2)], closeAfterHours: 14 * 24, questions: ndti }] : []),
    ...(last >= 1 ? [{ title: `${NDTI.title} (end)`, anonymous: false, stage: "end", templateKey: "ndti_survey", weeks: [last], closeAfterHours: 14 * 24, questions: ndti }] : []),
  ];
  for (const spec of specs) planSeries(p, spec);
}

function checkIn(count: number): Omit<Question, "id">[] {
  const more = Array.from({ length: Math.max(0, count - 2) }, (_, i): Omit<Question, "id"> => ({ kind: "scale", text: `${MORE_CHECK_IN[i % MORE_CHECK_IN.length]} (${i + 1})` }));
  return [{ kind: "scale", text: CHECK_IN.scale }, { kind: "text", text: CHECK_IN.text, answers: CHECK_IN.answers }, ...more];
}

function planSeries(p: Plan, spec: SeriesSpec): void {
  const { random, rows } = p;
  const seriesId = randomUUID();
  // Finished series, kept for their history: nothing more is scheduled from them.
  rows.series.push({ id: seriesId, programmeId: p.programmeId, title: spec.title, templateKey: spec.templateKey, audienceRoles: [...PARTICIPANT_ROLES], cron: "0 10 * * 2", timeZone: "Europe/London", anonymous: spec.anonymous, closeAfterHours: spec.closeAfterHours, active: false, stage: spec.stage, nextOccurrenceAt: null, createdAt: p.start });
  const questions: Question[] = spec.questions.map((q) => ({ ...q, id: randomUUID() }));
  questions.forEach((q, position) => rows.questions.push({ id: q.id, seriesId, position, kind: q.kind, text: q.text, options: [], required: !q.optional }));
  for (const k of spec.weeks) {
    const scheduledFor = inWeek(p, k, 1, 10);
    if (!usable(p, scheduledFor)) continue;
    const closesAt = new Date(scheduledFor.getTime() + spec.closeAfterHours * HOUR);
    const occurrenceId = randomUUID();
    const sealed = spec.anonymous && usable(p, closesAt);
    rows.occurrences.push({ id: occurrenceId, seriesId, scheduledFor, closesAt, sealedAt: sealed ? closesAt : null, createdAt: scheduledFor });
    const audience = p.people.filter((person) => PARTICIPANT_ROLES.includes(person.role) && person.joinedAt < scheduledFor);
    // Anonymous answers carry a role only where enough people of it were asked (src/prompts/answers.ts).
    const asked = new Map<Role, number>();
    for (const person of audience) if (active(person, scheduledFor)) asked.set(person.role, (asked.get(person.role) ?? 0) + 1);
    for (const person of audience) {
      const deliveryId = randomUUID();
      if (!active(person, scheduledFor)) {
        rows.deliveries.push({ id: deliveryId, occurrenceId, personId: person.id, role: person.role, status: "skipped", skippedReason: person.refused ? "no_consent" : "paused", notBefore: scheduledFor, createdAt: scheduledFor });
        continue;
      }
      const sentAt = new Date(scheduledFor.getTime() + random.int(0, 30) * 60_000);
      const answeredAt = new Date(sentAt.getTime() + random.int(1, 96) * HOUR);
      const answers = random.chance(ANSWER_RATE[person.role] ?? 0.5) && answeredAt < closesAt && usable(p, answeredAt);
      const closed = usable(p, closesAt);
      const named = !spec.anonymous && answers;
      rows.deliveries.push({
        id: deliveryId, occurrenceId, personId: person.id, role: person.role, notBefore: scheduledFor, sentAt, createdAt: scheduledFor,
        status: named ? "answered" : closed ? "closed" : "sent", answeredAt: named ? answeredAt : null,
      });
      if (!answers) continue;
      const stamp = spec.anonymous ? new Date(Date.UTC(scheduledFor.getUTCFullYear(), scheduledFor.getUTCMonth(), scheduledFor.getUTCDate())) : answeredAt;
      const responseKey = sealed ? randomUUID() : responseKeyFor(p.answerSecret, occurrenceId, deliveryId);
      const role = spec.anonymous ? ((asked.get(person.role) ?? 0) >= p.minGroupSize ? person.role : null) : person.role;
      // Scores rise a little over the programme, so the stages show a change.
      const lift = Math.round((k / Math.max(1, p.weeks - 1)) * 2);
      for (const q of questions) {
        if (q.optional && random.chance(0.3)) continue;
        const value = q.kind === "scale" ? { number: Math.min(10, Math.max(0, random.int(2, 8) + lift)) } : { text: random.pick(q.answers ?? WENT_WELL) };
        if (value.text === "") continue;
        rows.responses.push({ occurrenceId, questionId: q.id, personId: spec.anonymous ? null : person.id, role, responseKey, answeredAt: stamp, updatedAt: stamp, choices: [], ...value });
      }
    }
  }
}
