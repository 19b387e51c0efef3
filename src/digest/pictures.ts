import type { DbTx } from "../db/database.ts";
import { HOUR, DAY } from "../clock.ts";
import { storedDigest, type DigestData } from "./data.ts";
import type { Block, Message } from "../messages/model.ts";
import type { CoreSettings } from "../context.ts";
import { bars, stageBars, weeklyLines, type Chart, type StagePoint, type WeeklyPoint } from "./charts.ts";
import { STAGE_WORDS } from "./catalogue.ts";
import { ROLE_LABELS, PARTICIPANT_ROLES } from "../roles.ts";
import { digestLinkKey, digestLinkUrl, linkExpiry, LINK_DAYS } from "./link.ts";

/**
 * The digest's charts, from the figures the digest already holds: this week's
 * and the stored digests of the weeks before it. Nothing here counts anew,
 * so a chart can never show what the digest's own rules hid.
 */

/** How many weeks the trend charts go back, this one included. */
export const CHART_WEEKS = 8;

const weekLabel = (iso: string) => new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

/**
 * Participation by role over the weeks; a group the digest hid is a gap, never a zero.
 * A digest with a weekly trend (version 3) carries every week since the programme
 * started, under the same small-group rule; older digests, and a trend with every
 * group held back, are read one by one (so the chart still says what was hidden).
 */
export function participationPoints(history: readonly DigestData[]): WeeklyPoint[] {
  const data = history.at(-1);
  const trend = data?.trend?.slice(-CHART_WEEKS) ?? [];
  if (trend.length > 0) {
    const series = [...PARTICIPANT_ROLES.map((role) => [role, ROLE_LABELS[role]] as const), ["all", "All roles together"] as const];
    const shown = series.filter(([key]) => trend.some((t) => t.participationByRole[key] !== null));
    if (shown.length > 0) return trend.flatMap((t) => shown.map(([key, label]) => ({ week: weekLabel(t.weekStart), series: label, value: t.participationByRole[key] })));
  }
  return history.flatMap((d) => d.participation.byRole.map((row) => ({ week: weekLabel(d.weekStart), series: row.label, value: row.hidden ? null : row.people })));
}

/** Days from "you said" to "we did", week by week: the median and the 90th percentile. */
export function weDidTimePoints(data: DigestData): WeeklyPoint[] {
  return (data.trend ?? []).slice(-CHART_WEEKS).flatMap((t) => [
    { week: weekLabel(t.weekStart), series: "Median days to \"we did\"", value: t.medianDaysToWeDid },
    { week: weekLabel(t.weekStart), series: "9 in 10 within (days)", value: t.p90DaysToWeDid },
  ]);
}

/** The median change in people's 0 to 10 answers between stages, by role, for up to four questions. */
export function stageChangePoints(data: DigestData): StagePoint[] {
  return (data.stages?.changes ?? []).slice(0, 4).flatMap((c) => {
    const group = `${c.question.length > 40 ? `${c.question.slice(0, 39)}…` : c.question} (${STAGE_WORDS[c.from]} to ${STAGE_WORDS[c.to]})`;
    return [
      ...c.byRole.map((row) => ({ stage: group, series: row.label, value: row.hidden ? null : (row.value?.medianChange ?? null) })),
      { stage: group, series: "All roles together", value: c.allRoles?.medianChange ?? null },
    ];
  });
}

/** This week's ideas from raised to "the person who raised it said it was answered". */
export function funnelBars(data: DigestData) {
  const f = data.feedback;
  return [
    { label: "Ideas raised", value: f.newItems },
    { label: "Ideas replied to", value: f.firstResponse.responded },
    { label: "\"We did\" updates", value: f.updatesPosted },
    { label: "Said it answered them", value: f.reactions.yes },
  ];
}

/** Median days from an idea to its first reply, week by week. */
export function replyTimePoints(history: readonly DigestData[]): WeeklyPoint[] {
  const trend = history.at(-1)?.trend?.slice(-CHART_WEEKS) ?? [];
  if (trend.length > 0) return trend.map((t) => ({ week: weekLabel(t.weekStart), series: "Median days to a first reply", value: t.medianDaysToFirstReply }));
  return history.map((d) => ({
    week: weekLabel(d.weekStart),
    series: "Median days to a first reply",
    value: d.feedback.firstResponse.medianHours === null ? null : Math.round(((d.feedback.firstResponse.medianHours * HOUR) / DAY) * 10) / 10,
  }));
}

/** The charts for a digest, given it and the digests of the weeks before it (oldest first). */
export async function chartsFor(data: DigestData, before: readonly DigestData[] = []): Promise<Chart[]> {
  const history = [...before.filter((d) => d.weekStart < data.weekStart), data].slice(-CHART_WEEKS);
  const charts = [await weeklyLines("People taking part, by role", participationPoints(history), { yTitle: "People" })];
  charts.push(await bars(`Ideas in the week starting ${weekLabel(data.weekStart)}`, funnelBars(data), { xTitle: "Number" }));
  const replies = replyTimePoints(history);
  if (replies.some((p) => p.value !== null)) charts.push(await weeklyLines("Time to a first reply", replies, { yTitle: "Days" }));
  const weDid = weDidTimePoints(data);
  if (weDid.some((p) => p.value !== null)) charts.push(await weeklyLines("Time from an idea to \"we did\"", weDid, { yTitle: "Days" }));
  const stages = stageChangePoints(data);
  if (stages.some((p) => p.value !== null)) charts.push(await stageBars("Change in 0 to 10 answers between stages (median per person)", stages, { yTitle: "Change" }));
  return charts;
}

/** The stored digests of the weeks before `weekStart` that the trend charts use, oldest first. */
export async function digestsBefore(db: DbTx, programmeId: string, weekStart: Date): Promise<DigestData[]> {
  const rows = await db.digest.findMany({ where: { programmeId, weekStart: { lt: weekStart } }, orderBy: { weekStart: "desc" }, take: CHART_WEEKS - 1, select: { data: true } });
  return rows
    .map((r) => storedDigest(r.data))
    .filter((d): d is DigestData => d !== null)
    .reverse();
}

/**
 * The digest message for one reader, with its charts and a signed link to its
 * web page (when wesaid knows its own address). The charts go after the
 * opening lines, so a reader sees them before the detail.
 */
export function withPictures(message: Message, charts: readonly Chart[], p: { settings: CoreSettings; digestId: string; readerId: string; now: Date }): Message {
  const base = p.settings.publicUrl;
  const page = base ? digestLinkUrl(digestLinkKey(p.settings.answerSecret), base, { digestId: p.digestId, readerId: p.readerId, expires: linkExpiry(p.now) }) : null;
  const chartUrl = (n: number) => {
    if (!page) return undefined;
    const url = new URL(page);
    url.pathname += `/charts/${n}.png`;
    return url.toString();
  };
  const added: Block[] = [
    ...(page ? [{ kind: "link" as const, url: page, label: `Open this summary as a web page (the link works for ${LINK_DAYS} days)` }] : []),
    ...charts.map((c, n) => ({ kind: "image" as const, png: c.png.toString("base64"), alt: c.alt, title: c.title, url: chartUrl(n) })),
  ];
  const opening = message.blocks.findIndex((b, i) => i > 0 && b.kind === "heading");
  const at = opening === -1 ? message.blocks.length : opening;
  return { ...message, blocks: [...message.blocks.slice(0, at), ...added, ...message.blocks.slice(at)] };
}
