import type { CoreContext } from "../context.ts";
import type { DbTx } from "../db/database.ts";
import type { Reply } from "../interactions.ts";
import type { Role } from "../roles.ts";
import { rolesWith } from "../roles.ts";
import { formatWhen } from "../time.ts";
import { describeSchedule, PROMPT_TEMPLATES, SCHEDULE_PRESETS, type PromptTemplate } from "./templates.ts";
import type { PromptSeries } from "../generated/prisma/client.ts";
import { nextAskedInSeriesZone } from "./openings.ts";
import { stagesOf } from "./stages-schedule.ts";
import * as say from "./catalogue.ts";
import { scheduleInWords, scheduleOfTiming } from "./schedule-words.ts";

/** Reply builders: what a delivery, a programme's series or a template looks like as a message. */

export const deliveryInclude = {
  occurrence: {
    include: {
      series: { include: { questions: { orderBy: { position: "asc" as const } }, programme: { select: { name: true } } } },
      // How many people could answer: with fewer than MIN_GROUP_SIZE, anonymous answers may be guessed, and people are told so.
      _count: { select: { deliveries: { where: { status: { not: "skipped" } } } } },
    },
  },
};

export type LoadedDelivery = NonNullable<Awaited<ReturnType<typeof loadDelivery>>>;

export function loadDelivery(db: DbTx, id: string) {
  return db.promptDelivery.findUnique({ where: { id }, include: deliveryInclude });
}

/** A delivery as the catalogue shows it, with dates in the reader's time zone. */
export function viewOf(d: LoadedDelivery, timeZone: string, minGroupSize: number): say.PromptView {
  const series = d.occurrence.series;
  return {
    deliveryId: d.id,
    seriesId: series.id,
    title: series.title,
    intro: series.intro,
    programmeName: series.programme.name,
    anonymous: series.anonymous,
    // A staged survey's occurrence knows its own stage; an ordinary series is marked as a whole.
    stage: (d.occurrence.stage ?? series.stage) as say.PromptView["stage"],
    fewAsked: d.occurrence._count.deliveries < minGroupSize,
    closesAt: formatWhen(d.occurrence.closesAt, timeZone),
    questions: series.questions,
  };
}

/** The facilitators' list of a programme's series, with buttons to pause, resume, read answers and start more. */
export async function promptsMenu(ctx: CoreContext, programmeId: string): Promise<Reply["private"]> {
  const programme = await ctx.db.programme.findUniqueOrThrow({ where: { id: programmeId } });
  const series = await ctx.db.promptSeries.findMany({ where: { programmeId }, orderBy: { createdAt: "asc" } });
  const drafts = await ctx.db.promptDraft.findMany({ where: { programmeId }, orderBy: { createdAt: "asc" }, select: { id: true, title: true } });
  return say.promptsMenu({
    programmeId,
    programmeName: programme.name,
    series: series.map((s) => ({
      id: s.id,
      title: s.title,
      schedule: scheduleWords(s),
      next: nextAskedInSeriesZone(s) ? formatWhen(nextAskedInSeriesZone(s)!, s.timeZone) : null,
      active: s.active,
      anonymous: s.anonymous,
      hardTopic: s.hardTopic,
      stage: s.stage as say.SeriesView["stage"],
      audience: s.audienceRoles as Role[],
    })),
    drafts,
    templates: PROMPT_TEMPLATES.map((t) => ({ key: t.key, title: t.title, summary: t.summary })),
  });
}

/** How often a series asks, in words: its schedule, at each person's time or not, or its stage dates. */
/** A series' schedule in words: its stage dates; the plain form it was written in; the template preset; else its cron line. */
function scheduleWords(s: PromptSeries): string {
  const stages = stagesOf(s);
  if (stages.length) return say.timingText.stagedSchedule(stages.map((o) => `${say.STAGE_LABELS[o.stage]} ${formatWhen(o.at, s.timeZone)}`).join("; ") + ` (${s.timeZone})`);
  const plain = scheduleOfTiming(s);
  if (plain) return scheduleInWords(plain, s.timeZone, s.localTime);
  const schedule = describeSchedule(s.cron) ?? s.cron;
  return s.localTime ? say.timingText.localTime(schedule) : `${schedule} (${s.timeZone})`;
}

/** The form for starting a series from a template: when, who, and whether names are kept. */
export function templateForm(programmeId: string, template: PromptTemplate): Reply["private"] {
  return say.startFromTemplate({
    programmeId,
    templateKey: template.key,
    title: template.title,
    questions: template.questions.map((q) => q.text),
    cron: template.cron,
    presets: SCHEDULE_PRESETS,
    timeZone: "Europe/London",
    anonymous: template.anonymous,
    audience: [...template.audienceRoles],
    roles: rolesWith("prompt.answer"),
  });
}
