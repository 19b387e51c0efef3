import type { CoreContext } from "../context.ts";
import type { Reply } from "../interactions.ts";
import { consentState } from "../access.ts";
import { formatClockTime, formatDate } from "../time.ts";
import { STATUS_WORDS } from "../feedback/index.ts";
import { seriesChoicesFor } from "../prompts/index.ts";
import { preferencesOf } from "./preferences.ts";
import { exportPersonData } from "./my-data.ts";
import { catchUpFor } from "./catch-up.ts";
import * as say from "./catalogue.ts";

/** Replies the people loop shows: built from what is stored, no decisions. */

export const privately = (text: string): Reply => ({ private: say.done(text) });

export async function preferencesView(ctx: CoreContext, personId: string, programmeId: string) {
  const pref = await preferencesOf(ctx.db, personId);
  const consent = await consentState(ctx.db, personId, programmeId, ctx.settings.consentPolicyVersion);
  const questions = await seriesChoicesFor(ctx.db, personId, programmeId);
  return say.preferencesForm({
    questions,
    programmeId,
    timeZone: pref.timeZone,
    quietStart: formatClockTime(pref.quietStart),
    quietEnd: formatClockTime(pref.quietEnd),
    reminderLimit: pref.reminderLimit,
    paused: Boolean(pref.pausedAt),
    participation: consent.participation,
    quotation: consent.quotation,
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
  return say.myData({ summaryLines, json: JSON.stringify(data, null, 2) });
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
