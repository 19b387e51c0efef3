import { button, buttons, heading, message, note, para, type Block, type Message } from "../messages/model.ts";
import { formatDate, formatWhen } from "../time.ts";
import type { ChangeFigure, DaysFigure, DigestData, LoopMeasures, PanelRates, ScaleFigure, Stage, TrendPoint, YesPartlyNo } from "./data.ts";
import type { CheckFigures } from "../member-checks/index.ts";
import { ALL_ROLES, type CountRow, type ValueRow } from "../suppression.ts";
import { STATUS_WORDS } from "../feedback/index.ts";

const statusWords = (status: string) => STATUS_WORDS[status as keyof typeof STATUS_WORDS] ?? status;

/** Where a quoted debrief answer came from, as the reader sees it. */
export const quoteSources = {
  answering: (question: string) => `answering "${question}"`,
  wentWell: "after a panel, on what went well",
  couldImprove: "after a panel, on what could be better",
  changeNextTime: "after a panel, on what to change next time",
};

export const digestText = {
  unreadable: "Sorry, that weekly summary was saved in an older form and cannot be shown. Type digest this week to see this week so far.",
  suppression: (min: number) =>
    `Roles are shown only when every role has ${min} or more people. ` +
    `So nobody can be recognised, and no small group can be worked out from the others. ` +
    `Counts below ${min} are shown as "fewer than ${min}". Names are never shown.`,
};


// Slack allows about 3,000 characters in one block: long sections are split.
const BLOCK_LIMIT = 2800;
const QUOTE_LIMIT = 600;

function lines(list: (string | false | null | undefined)[]): Block[] {
  const blocks: Block[] = [];
  let current = "";
  for (const line of list.filter((l): l is string => Boolean(l))) {
    if (current && current.length + line.length + 1 > BLOCK_LIMIT) {
      blocks.push(para(current));
      current = "";
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) blocks.push(para(current));
  return blocks;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const percent = (share: number | null) => (share === null ? "none sent" : `${Math.round(share * 100)}%`);
const fewer = (min: number) => `fewer than ${min}`;
const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const tally = (t: YesPartlyNo) => `yes ${t.yes}, partly ${t.partly}, no ${t.no}`;

/** A count of people, or "fewer than N" where it is held back. */
const howMany = (n: number | null, min: number) => (n === null ? fewer(min) : String(n));
const peopleCount = (n: number | null, min: number, one = "person", many = "people") => (n === null ? `${fewer(min)} ${many}` : plural(n, one, many));
const allHidden = (rows: CountRow[]) => rows.length > 0 && rows.every((r) => r.hidden);

const together = (rows: CountRow[]) => rows.length === 1 && rows[0]!.label === ALL_ROLES;
const rolesHeldBack = (min: number) => `roles not shown, because a role had ${fewer(min)} people`;

function counts(rows: CountRow[], min: number): string {
  if (rows.length === 0) return "nobody";
  if (allHidden(rows)) return `${fewer(min)} people, so no roles are shown`;
  if (together(rows)) return rolesHeldBack(min);
  return rows.map((r) => (r.hidden ? `${r.label}: ${fewer(min)}` : `${r.label} ${r.people}`)).join("; ");
}

function values<T>(rows: ValueRow<T>[], min: number, show: (value: T) => string): string {
  if (allHidden(rows)) return `${fewer(min)} people, not shown`;
  if (together(rows)) return `${show(rows[0]!.value!)} (${rolesHeldBack(min)})`;
  return rows.map((r) => (r.hidden || r.value === null ? `${r.label}: ${fewer(min)} people, not shown` : `${r.label} (${plural(r.people ?? 0, "person", "people")}): ${show(r.value)}`)).join("; ");
}

function scale(f: ScaleFigure): string {
  return f.mean === null ? "no answers" : `average ${f.mean}, middle answer ${f.median}`;
}

function questions(d: DigestData): Block[] {
  if (d.prompts.length === 0) return lines(["No questions were sent this week."]);
  return d.prompts.flatMap((o) =>
    lines([
      `• ${o.series} (${formatWhen(new Date(o.scheduledFor))})${o.anonymous ? ", answered without names" : ""}`,
      o.answered === null
        ? `  ${capital(fewer(d.minGroupSize))} people answered (${plural(o.sent, "person was", "people were")} asked).`
        : `  ${o.answered} of ${plural(o.sent, "person", "people")} answered (${percent(o.responseRate)}).`,
      `  Who answered: ${counts(o.answeredByRole, d.minGroupSize)}.`,
      ...o.scales.map(
        (s) =>
          `  "${s.question}" (${s.min} to ${s.max}): ${s.byRole.length ? values(s.byRole, d.minGroupSize, scale) : "no answers"}` +
          (s.allRoles && s.byRole.length > 1 ? `; all roles: ${scale(s.allRoles)}` : "") +
          ".",
      ),
    ]),
  );
}

function ideas(d: DigestData): Block[] {
  const f = d.feedback;
  const min = d.minGroupSize;
  return lines([
    `New ideas: ${f.newItems}${f.newItems ? ` (from: ${counts(f.newByRole.filter((r) => r.people !== 0), min)})` : ""}.`,
    f.statusChanges.length ? `Ideas that moved on: ${f.statusChanges.length}.` : "No ideas moved on this week.",
    ...f.statusChanges.map((c) => `  • #${c.number}: from ${statusWords(c.from)} to ${statusWords(c.to)}`),
    f.firstResponse.responded
      ? `${plural(f.firstResponse.responded, "idea")} got a first reply. The middle time to a first reply was about ${plural(Math.round(f.firstResponse.medianHours ?? 0), "hour")}.`
      : "No ideas got a first reply this week.",
    `Ideas still waiting for a first reply: ${f.waitingForFirstResponse}.`,
    f.overdue.length ? `Ideas past their due date: ${f.overdue.length}.` : "No open ideas are past their due date.",
    ...f.overdue.map((o) => `  • #${o.number}: raised by ${o.raisedBy}, ${o.owner ? `looked after by ${o.owner}` : "nobody looks after it yet"}, ${plural(o.daysOverdue, "day")} late`),
    `"We did" updates posted: ${f.updatesPosted}.`,
    f.reactions.yes + f.reactions.partly + f.reactions.no
      ? `Did the updates answer what people said? ${tally(f.reactions)}.`
      : "Nobody said yet whether an update answered them.",
    f.actions.done
      ? `Actions and ideas finished: ${f.actions.done}. Done together by experts by experience and staff: ${f.actions.coOwned} (${percent(f.actions.coOwnedShare)}).`
      : "No actions were finished this week.",
    ...support(f.support, min),
  ]);
}

/** "This matters to me too": support per open idea (not by role), and who supports ideas (by role, small groups hidden). */
function support(s: DigestData["feedback"]["support"], min: number): string[] {
  if (s.ideasWithSupport === 0) return [`No open idea has people saying "this matters to me too" yet.`];
  const listed = s.ideas.map((i) => `#${i.number}: ${plural(i.supporters, "person", "people")}`).join("; ");
  return [
    `Open ideas that matter to other people too: ${s.ideasWithSupport}. Most support first: ${listed}` +
      (s.ideasWithSupport > s.ideas.length ? ` (and ${s.ideasWithSupport - s.ideas.length} more).` : "."),
    `People who follow an open idea: ${counts(s.supportersByRole, min)}. Times people said "this matters to me too" this week: ${s.followsThisWeek}.`,
  ];
}

/** How stages read: "the start", "the mid-point", "the end". */
export const STAGE_WORDS: Record<Stage, string> = { baseline: "the start", midpoint: "the mid-point", end: "the end" };
/** Weeks of the trend written out in the message (the data holds every week). */
const TREND_LINES = 8;

const days = (f: DaysFigure) =>
  f.ideas === 0 ? "none yet" : `middle ${plural(f.median ?? 0, "day")}, 9 in 10 within ${plural(f.p90 ?? 0, "day")} (${plural(f.ideas, "idea")})`;
const signed = (n: number | null) => (n === null ? "none" : n > 0 ? `+${n}` : String(n));
const maybePercent = (share: number | null) => (share === null ? "none" : `${Math.round(share * 100)}%`);

function loop(m: LoopMeasures, min: number): Block[] {
  const i = m.ideas;
  const a = m.weDidAnswered;
  const t = m.tasterFunnel;
  const p = m.panelsByRole;
  const rates = (r: PanelRates) => `${r.attended} of ${r.members} came (${maybePercent(r.attendanceRate)}), ${r.debriefed} sent their thoughts (${maybePercent(r.debriefRate)})`;
  return lines([
    `Open ideas at the end of the week: ${i.open} (less than a week old: ${i.openByAge.underOneWeek}; one to four weeks: ${i.openByAge.oneToFourWeeks}; more than four weeks: ${i.openByAge.overFourWeeks}). Past their due date: ${i.overdue}. Waiting for a first reply: ${i.waitingForFirstReply}.`,
    `Days from an idea to its first reply, for replies this week: ${days(i.daysToFirstReply)}. So far: ${days(i.daysToFirstReplySoFar)}.`,
    `Days from an idea to "we did", for ideas done this week: ${days(i.daysToWeDid)}. So far: ${days(i.daysToWeDidSoFar)}.`,
    a.asked
      ? `Updates this week answered ${plural(a.asked, "idea")}. The people who raised them said it answered them: yes ${a.yes}, partly ${a.partly}, no ${a.no}, no reply yet ${a.noReply} (yes: ${maybePercent(a.shares?.yes ?? null)}).`
      : "No update this week answered an idea raised by someone else.",
    i.notAnswered.partly + i.notAnswered.no
      ? `People said an update only partly answered their idea ${plural(i.notAnswered.partly, "time")}, and did not answer it ${plural(i.notAnswered.no, "time")}. Ideas opened again: ${i.notAnswered.reopened}.`
      : null,
    t.sessions
      ? `Taster sessions this week: ${t.sessions}. Could sign up: ${t.invited}. Signed up: ${t.signedUp}. Still waiting for a place: ${t.waiting}. Offered a place: ${t.offered}. Offer ran out: ${t.offerExpired}. Came: ${t.attended}. Was it what they expected? ${tally(t.expectations)}. Would take part again? yes ${t.wouldTakePartAgain.yes}, maybe ${t.wouldTakePartAgain.maybe}, no ${t.wouldTakePartAgain.no}.`
      : null,
    p.rows.length ? `Panels this week, by role: ${values(p.rows, min, rates)}${p.allRoles && p.rows.length > 1 ? `; everyone: ${rates(p.allRoles)}` : ""}.` : null,
  ]);
}

function trendLine(t: TrendPoint, min: number): string {
  return (
    `• Week from ${formatDate(new Date(t.weekStart))}: ${peopleCount(t.participationByRole.all, min)} took part; ` +
    `${plural(t.newIdeas, "new idea")}, ${t.openIdeas} open, ${t.overdueIdeas} late; ` +
    `middle days to "we did": ${t.medianDaysToWeDid ?? "none"}; updates that answered people: ${maybePercent(t.weDidAnsweredYesShare)}; ` +
    `questions answered: ${maybePercent(t.responseRate)}.`
  );
}

function overTime(d: DigestData): Block[] {
  if (d.trend.length < 2) return lines(["This is the first week, so there is nothing to compare with yet."]);
  const shown = d.trend.slice(-TREND_LINES);
  return lines([
    d.trend.length > shown.length ? `The last ${shown.length} weeks (all ${d.trend.length} are in the saved figures):` : null,
    ...shown.map((t) => trendLine(t, d.minGroupSize)),
  ]);
}

function beforeAndAfter(d: DigestData): Block[] {
  const s = d.stages;
  const change = (f: ChangeFigure) => `middle change ${signed(f.medianChange)}`;
  return lines([
    s.changes.length === 0 ? "No answers can be compared between stages yet." : null,
    ...s.changes.map(
      (c) =>
        `"${c.question}" (${c.min} to ${c.max}), from ${STAGE_WORDS[c.from]} to ${STAGE_WORDS[c.to]}: ${values(c.byRole, d.minGroupSize, change)}` +
        (c.allRoles && c.byRole.length > 1 ? `; everyone: ${change(c.allRoles)}` : "") +
        ".",
    ),
    ...s.anonymousSeries.map((title) => `"${title}" is answered without names, so answers cannot be compared between stages.`),
  ]);
}

function tasterSessions(d: DigestData): Block[] {
  const t = d.tasters;
  return lines([
    `New sign-ups: ${t.signups} (on a waiting list: ${t.waitlisted}).`,
    t.sessions.length ? null : "No taster sessions this week.",
    ...t.sessions.map(
      (s) =>
        `• ${s.title} (${formatWhen(new Date(s.startsAt))}): ${s.booked} booked, ${s.waitlisted} waiting, ${s.attended} came.` +
        (s.expectations.yes + s.expectations.partly + s.expectations.no ? ` Was it what they expected? ${tally(s.expectations)}.` : ""),
    ),
  ]);
}

function panelList(d: DigestData): Block[] {
  if (d.panels.length === 0) return lines(["No panels this week."]);
  const min = d.minGroupSize;
  return d.panels.flatMap((p) =>
    lines([
      `• ${p.title} (${formatWhen(new Date(p.startsAt))}): ${peopleCount(p.members, min, "member", "members")} (${counts(p.membersByRole, min)}).`,
      `  ${capital(howMany(p.debriefs, min))} of them sent their thoughts afterwards.`,
      p.debriefs
        ? `  Felt listened to: ${values(p.listenedToByRole, min, tally)}${p.listenedTo && p.listenedToByRole.length > 1 ? `; everyone: ${tally(p.listenedTo)}` : ""}.`
        : null,
    ]),
  );
}

function whoTookPart(d: DigestData): Block[] {
  const p = d.participation;
  const c = p.continuity;
  const min = d.minGroupSize;
  return lines([
    `${capital(peopleCount(p.people, min))} took part this week: ${counts(p.byRole, min)}.`,
    `Answered questions: ${howMany(p.byActivity.answer, min)}. Shared ideas: ${howMany(p.byActivity.suggestion, min)}. Went to a taster session: ${howMany(p.byActivity.taster, min)}. Sat on a panel or gave feedback after one: ${howMany(p.byActivity.panel, min)}.`,
    `So far, ${c.peopleSoFar === null ? `${fewer(min)} people have` : plural(c.peopleSoFar, "person has", "people have")} taken part, counted for all roles together. ${capital(howMany(c.severalKinds, min))} took part in two or more kinds of activity. ${capital(howMany(c.severalWeeks, min))} took part in two or more weeks.`,
  ]);
}

function inTheirWords(d: DigestData): Block[] {
  const q = d.quotes;
  const cut = (text: string) => (text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT - 1)}…` : text);
  return lines([
    q.withheld
      ? `Fewer than ${d.minGroupSize} people who agreed to be quoted wrote something this week, so their words are not shown.`
      : q.quotes.length === 0
        ? "Nobody who agreed to be quoted wrote anything this week."
        : null,
    ...q.quotes.map((x) => `"${cut(x.text)}" (${x.label}${x.source ? `, ${x.source}` : ""})`),
    q.notQuoted ? `${plural(q.notQuoted, "more answer is", "more answers are")} not shown, because the person did not agree to be quoted or answered without their name.` : null,
  ]);
}

function themeCodes(d: DigestData): Block[] {
  if (d.codes.length === 0) return lines(["No theme codes have been given yet."]);
  return lines(
    d.codes.map((c) =>
      c.given === null
        ? `${c.label}: given to what ${fewer(d.minGroupSize)} people said, so no numbers are shown.`
        : `${c.label}: given ${plural(c.given, "time")}, to what ${plural(c.people ?? 0, "person", "people")} said (${counts(c.byRole, d.minGroupSize)}).`,
    ),
  );
}

const verdicts = (f: CheckFigures) => `${tally(f)}, no reply ${f.noReply}`;

/** Member checks sent this week or still open: "Did we get this right?" by the role of the people asked. */
function memberChecks(d: DigestData): Block[] {
  if (d.memberChecks.length === 0) return lines(["No checks with people were sent or open this week."]);
  const min = d.minGroupSize;
  return lines(
    d.memberChecks.map((c) => {
      const when = `sent ${formatDate(new Date(c.sentAt))}, ${c.open ? "still open" : `closed ${formatDate(new Date(c.closesAt!))}`}`;
      if (c.asked === null || !c.all) return `• "${c.title}" (${when}): ${fewer(min)} people were asked, so no figures are shown.`;
      const roles = c.byRole.length > 1 ? ` By role: ${values(c.byRole, min, verdicts)}.` : "";
      return `• "${c.title}" (${when}): ${plural(c.asked, "person", "people")} asked. Did we get this right? ${verdicts(c.all)}.${roles}`;
    }),
  );
}

/** The digest as people read it, from the stored data. */
export function digestMessage(d: DigestData, p: { programmeId: string; canExport?: boolean }): Message {
  const week = formatDate(new Date(d.weekStart));
  const title = d.partial ? `${d.programme}: this week so far (from ${week})` : `${d.programme}: weekly summary for the week from ${week}`;
  return message(
    title,
    heading(title),
    para(
      d.partial
        ? `What has happened this week up to ${formatWhen(new Date(d.asOf))}. This is not saved.`
        : "What happened in this week, for the evaluation team. Everything here is shown by role, never by name.",
    ),
    heading("Questions"),
    ...questions(d),
    heading("Ideas and what we did"),
    ...ideas(d),
    ...(d.measures ? [heading("How the loop is doing"), ...loop(d.measures, d.minGroupSize)] : []),
    heading("Taster sessions"),
    ...tasterSessions(d),
    heading("Panels"),
    ...panelList(d),
    heading("Who took part"),
    ...whoTookPart(d),
    heading("In their words"),
    ...inTheirWords(d),
    heading("Theme codes so far"),
    ...themeCodes(d),
    heading("Checking with people"),
    ...memberChecks(d),
    ...(d.measures ? [heading("Change over time"), ...overTime(d), heading("Before and after"), ...beforeAndAfter(d)] : []),
    note(digestText.suppression(d.minGroupSize)),
    buttons(d.partial ? null : button("See this week so far", "digest.show", { programmeId: p.programmeId, week: "current" }), p.canExport && exportButton(d, p)),
  );
}

/** The week's answers as a CSV, sent to the presser's private chat by `evidence.export` (which checks who may). */
function exportButton(d: DigestData, p: { programmeId: string }) {
  const from = new Date(d.weekStart);
  const to = new Date(from.getTime() + 6 * 86_400_000);
  const day = (t: Date) => t.toISOString().slice(0, 10);
  return button("Export answers (CSV)", "evidence.export", { programmeId: p.programmeId, what: "answers", format: "csv", from: day(from), to: day(to) });
}

export function noDigestYet(p: { programmeId: string }): Message {
  return message(
    "There is no weekly summary yet",
    para("There is no weekly summary yet. The first one is made when the first full week is over, early on a Monday."),
    buttons(button("See this week so far", "digest.show", { programmeId: p.programmeId, week: "current" })),
  );
}

/** The "help" lines for this loop's commands. */
export const commandHelp = {
  digest: { usage: "digest [this week]", summary: "See the latest weekly summary for the evaluation team, or this week so far." },
};
