import type { DbTx } from "../db/database.ts";
import { HOUR, DAY } from "../clock.ts";
import { storedDigest, type DigestData } from "./data.ts";
import type { Block, Message } from "../messages/model.ts";
import type { CoreSettings } from "../context.ts";
import { bars, weeklyLines, type Chart, type WeeklyPoint } from "./charts.ts";
import { digestLinkKey, digestLinkUrl, linkExpiry, LINK_DAYS } from "./link.ts";

/**
 * The digest's charts, from the figures the digest already holds: this week's
 * and the stored digests of the weeks before it. Nothing here counts anew,
 * so a chart can never show what the digest's own rules hid.
 */

/** How many weeks the trend charts go back, this one included. */
export const CHART_WEEKS = 8;

const weekLabel = (iso: string) => new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

/** Participation by role over the weeks; a group the digest hid is a gap, never a zero. */
export function participationPoints(history: readonly DigestData[]): WeeklyPoint[] {
  return history.flatMap((d) => d.participation.byRole.map((row) => ({ week: weekLabel(d.weekStart), series: row.label, value: row.hidden ? null : row.people })));
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
