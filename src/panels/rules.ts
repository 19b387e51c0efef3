import { DAY } from "../clock.ts";

/** The rules of panels as pure functions of (panel, now). Nothing here reads a clock or a database. */

/** Members are sent the prep prompt this long before the start. */
export const PREP_BEFORE_START = DAY;
/** A debrief can be given, and changed, for this long after the panel ends. */
export const DEBRIEF_WINDOW = 14 * DAY;

/** `reminder`: a learning set's meeting, whose members are reminded the day before (with or without a prompt). */
export function panelSchedule(p: { startsAt: Date; endsAt: Date; prepPrompt?: string | null; reminder?: boolean }): { prepDueAt: Date | null; debriefDueAt: Date } {
  return {
    prepDueAt: p.prepPrompt || p.reminder ? new Date(p.startsAt.getTime() - PREP_BEFORE_START) : null,
    debriefDueAt: p.endsAt,
  };
}

export function debriefClosesAt(endsAt: Date): Date {
  return new Date(endsAt.getTime() + DEBRIEF_WINDOW);
}

export function debriefWindow(now: Date, endsAt: Date): "early" | "open" | "closed" {
  if (now.getTime() < endsAt.getTime()) return "early";
  return now.getTime() <= debriefClosesAt(endsAt).getTime() ? "open" : "closed";
}

/** A prep prompt found late (after downtime, or held by quiet hours) is only sent while it is still before the start. */
export function prepStillUseful(sendAt: Date, startsAt: Date): boolean {
  return sendAt.getTime() < startsAt.getTime();
}

/** How many answered yes, partly and no to "did you feel listened to?". */
export function listenedCounts(responses: readonly { listenedTo: string }[]): Record<"yes" | "partly" | "no", number> {
  const counts = { yes: 0, partly: 0, no: 0 };
  for (const r of responses) if (r.listenedTo in counts) counts[r.listenedTo as keyof typeof counts]++;
  return counts;
}
