import type { CoreContext } from "../context.ts";
import type { Reply } from "../interactions.ts";
import { consentState } from "../access.ts";
import { formatClockTime, formatDate } from "../time.ts";
import { STATUS_WORDS } from "../feedback/index.ts";
import { seriesChoicesFor } from "../prompts/index.ts";
import { preferencesOf } from "./preferences.ts";
import { DEFAULT_TIME_ZONE, zoneOrigin } from "./zones.ts";
import type { Platform } from "../messenger.ts";
import { exportPersonData } from "./my-data.ts";
import { catchUpFor } from "./catch-up.ts";
import { consentWords } from "./consent.ts";
import * as say from "./catalogue.ts";

/** Replies the people loop shows: built from what is stored, no decisions. */

export const privately = (text: string): Reply => ({ private: say.done(text) });

/** `platform` is where the person is now: the way back to a platform's zone names the one that last told us, else this one. */
export async function preferencesView(ctx: CoreContext, personId: string, programmeId: string, platform: Platform) {
  const pref = await preferencesOf(ctx.db, personId);
  const consent = await consentState(ctx.db, personId, programmeId);
  const questions = await seriesChoicesFor(ctx.db, personId, programmeId);
  return say.preferencesForm({
    questions,
    programmeId,
    timeZone: pref.timeZone,
    timeZoneFrom: zoneOrigin(pref),
    followPlatform: pref.timeZoneChosen
      ? { platform: (pref.detectedFrom as Platform | null) ?? platform, zone: pref.detectedTimeZone ?? DEFAULT_TIME_ZONE, reported: pref.detectedTimeZone !== null }
      : null,
    quietStart: formatClockTime(pref.quietStart),
    quietEnd: formatClockTime(pref.quietEnd),
    reminderLimit: pref.reminderLimit,
    paused: Boolean(pref.pausedAt),
    participation: consent.participation,
    quotation: consent.quotation,
    consentVersion: consent.version,
  });
}

export async function myDataView(ctx: CoreContext, personId: string) {
  const data = await exportPersonData(ctx.db, personId);
  const summaryLines = say.myDataSummary({
    name: data.person.displayName,
    programmes: data.programmes,
    answers: data.answers.length,
    ideas: data.suggestions.length,
    tasterSignups: data.tasterSignups.length,
    panels: data.panels.length,
  });
  return say.myData({ summaryLines, consentLines: await consentHistory(ctx, personId), json: JSON.stringify(data, null, 2) });
}

/** Each choice a person made, oldest first, in their time zone: the choices of one moment make one line. */
async function consentHistory(ctx: CoreContext, personId: string): Promise<string[]> {
  const [pref, records] = await Promise.all([
    preferencesOf(ctx.db, personId),
    ctx.db.consentRecord.findMany({ where: { personId }, orderBy: { recordedAt: "asc" }, include: { programme: { select: { name: true } } } }),
  ]);
  const choices = new Map<string, { when: string; programme: string; participation: boolean; quotation: boolean; version: number }>();
  for (const r of records) {
    const key = `${r.programmeId}:${r.recordedAt.getTime()}`;
    const choice = choices.get(key) ?? { when: formatDate(r.recordedAt, pref.timeZone), programme: r.programme.name, participation: false, quotation: false, version: r.policyVersion };
    choice[r.kind] = r.granted;
    choices.set(key, choice);
  }
  return [...choices.values()].map(say.consentHistoryLine);
}

export async function consentQuestionView(ctx: CoreContext, personId: string, programmeId: string) {
  const [words, consent] = await Promise.all([consentWords(ctx.db, programmeId), consentState(ctx.db, personId, programmeId)]);
  const current = consent.upToDate ? consent : { participation: null, quotation: null };
  return say.consentQuestion({ programmeName: words.name, programmeId, text: words.text, version: words.version, changed: false, ...current });
}

export async function catchUpView(ctx: CoreContext, personId: string, programmeId: string) {
  const pref = await preferencesOf(ctx.db, personId);
  const { programme, updates, openItems } = await catchUpFor(ctx.db, programmeId);
  return say.catchUp({
    programmeName: programme.name,
    updates: updates.map((u) => ({ text: u.text, when: formatDate(u.postedAt, pref.timeZone) })),
    openItems: openItems.map((i) => ({ number: i.number, text: i.text, status: STATUS_WORDS[i.status] })),
  });
}
