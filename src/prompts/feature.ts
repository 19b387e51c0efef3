import { z } from "zod";
import type { CoreContext } from "../context.ts";
import { WesaidError } from "../errors.ts";
import { accessText } from "../messages/catalogue/access.ts";
import type { Actor, Feature, Reply } from "../interactions.ts";
import type { PromptOccurrence, PromptSeries, Role } from "../generated/prisma/client.ts";
import { defineAction } from "../registry.ts";
import { membersWithRoles } from "../access.ts";
import { roleCan } from "../roles.ts";
import { setPaused } from "../people/index.ts";
import { formatWhen } from "../time.ts";
import { createSeriesFromTemplate, SERIES_STAGES, setSeriesActive, setSeriesStage, type SeriesStage, type TemplateOverrides } from "./series.ts";
import { findTemplate } from "./templates.ts";
import { parseWhenWords, scheduleExamples, timingOf } from "./schedule-words.ts";
import { builderText } from "./builder-catalogue.ts";
import { nextAskedInSeriesZone } from "./openings.ts";
import { sweepOccurrences } from "./occurrences.ts";
import { sweepDeliveries } from "./deliveries.ts";
import { sweepReminders } from "./reminders.ts";
import { sweepClosed } from "./closing.ts";
import { ownOpenDelivery, saveAnswers, storedAnswers } from "./answers.ts";
import { answersPage, programmeAnswers, seriesAnswers } from "./results.ts";
import { declineDelivery, restartSeriesFor, stopSeriesFor } from "./opt-outs.ts";
import { promptsMenu, templateForm, viewOf } from "./views.ts";
import * as say from "./catalogue.ts";
import { builderActions, builderCommands } from "./builder-feature.ts";

/** The prompts loop as the core sees it: declared actions, commands and sweeps. The work is in the files beside it. */

const id = z.string().min(1).max(100);
const onDelivery = z.object({ deliveryId: id });
const onSeries = z.object({ seriesId: id });

/** The person's own delivery, still open: loaded before any check, so a stranger's press is refused as "not yours". */
const ownDelivery = (ctx: CoreContext, args: { deliveryId: string }, actor: Actor) => ownOpenDelivery(ctx, actor, args.deliveryId);

async function seriesById(ctx: CoreContext, args: { seriesId: string }): Promise<{ programmeId: string; target: PromptSeries }> {
  const series = await ctx.db.promptSeries.findUnique({ where: { id: args.seriesId } });
  if (!series) throw new WesaidError("not_found", say.promptsText.noSeries);
  return { programmeId: series.programmeId, target: series };
}

const startArgs = z.object({
  programmeId: id,
  templateKey: z.string().min(1).max(60),
  title: z.string().trim().max(120).optional(),
  schedule: z.string().trim().max(100).optional(),
  /** "every other Monday at 10": how often, in the facilitator's own words. */
  when: z.string().trim().max(200).optional(),
  /** Forms posted before "when" replaced it still send a cron line; it is checked as any schedule is. */
  cron: z.string().trim().max(100).optional(),
  timeZone: z.string().trim().max(100).optional(),
  audienceRoles: z.string().max(500).optional(),
  anonymous: z.enum(["yes", "no"]).optional(),
  localTime: z.enum(["yes", "no"]).optional(),
  baselineAt: z.string().trim().max(40).optional(),
  midpointAt: z.string().trim().max(40).optional(),
  endAt: z.string().trim().max(40).optional(),
});

/** The schedule a facilitator wrote in words, with whose clock when the words say it; the chosen preset otherwise. */
function timingFromForm(input: z.output<typeof startArgs>): TemplateOverrides {
  // An older form's cron box may hold words too: the refusal for a cron line it cannot read suggests words.
  const words = input.when || (input.cron && parseWhenWords(input.cron) ? input.cron : undefined);
  if (!words) return { cron: input.cron || input.schedule || undefined };
  const read = parseWhenWords(words);
  if (!read) throw new WesaidError("invalid_input", builderText.cannotRead(words, scheduleExamples), [{ path: ["when"] }]);
  return { ...timingOf(read.schedule), ...(read.localTime !== undefined ? { localTime: read.localTime } : {}), ...(read.timeZone ? { timeZone: read.timeZone } : {}) };
}

function overridesFromForm(input: z.output<typeof startArgs>): TemplateOverrides {
  const roles = input.audienceRoles?.split("\n").map((r) => r.trim()).filter(Boolean);
  return {
    title: input.title || undefined,
    timeZone: input.timeZone || undefined,
    audienceRoles: roles?.length ? (roles as Role[]) : undefined,
    anonymous: input.anonymous === undefined ? undefined : input.anonymous === "yes",
    localTime: input.localTime === undefined ? undefined : input.localTime === "yes",
    // Words that say whose clock ("wherever each person is", "Tokyo time") win over the form's own choices.
    ...timingFromForm(input),
    // Stage dates replace the schedule: a template's own schedule is not used for a staged survey.
    ...(input.baselineAt || input.midpointAt || input.endAt ? { cron: "", baselineAt: input.baselineAt, midpointAt: input.midpointAt, endAt: input.endAt } : {}),
  };
}

function changeSeries(active: boolean) {
  return defineAction({
    action: active ? "prompts.series.resume" : "prompts.series.pause",
    access: "prompt.manage",
    args: onSeries,
    load: seriesById,
    async run(ctx, { actor, target }): Promise<Reply> {
      const { series, changed } = await setSeriesActive(ctx, actor.person.id, target, active);
      const asked = nextAskedInSeriesZone(series);
      const next = asked ? formatWhen(asked, series.timeZone) : say.timingText.noStageLeft;
      const words = active
        ? changed
          ? say.promptsText.seriesResumed(series.title, next)
          : say.promptsText.alreadyActiveSeries(series.title)
        : changed
          ? say.promptsText.seriesPaused(series.title)
          : say.promptsText.alreadyPausedSeries(series.title);
      return { private: say.done(words), replaceSource: await promptsMenu(ctx, series.programmeId) };
    },
  });
}

/** A set of questions about a hard topic offers support contacts after each answer. */
const hardTopic = defineAction({
  action: "prompts.series.hard_topic",
  access: "prompt.manage",
  args: onSeries.extend({ hard: z.enum(["yes", "no"]) }),
  load: seriesById,
  async run(ctx, { args, target }): Promise<Reply> {
    await ctx.db.promptSeries.update({ where: { id: target.id }, data: { hardTopic: args.hard === "yes" } });
    const words = args.hard === "yes" ? say.promptsText.markedHard(target.title) : say.promptsText.notHard(target.title);
    return { private: say.done(words), replaceSource: await promptsMenu(ctx, target.programmeId) };
  },
});

const stageAction = defineAction({
  action: "prompts.series.stage",
  access: "prompt.manage",
  args: onSeries.extend({ stage: z.enum([...SERIES_STAGES, "none"]) }),
  labels: { stage: "Stage" },
  load: seriesById,
  async run(ctx, { actor, args, target }): Promise<Reply> {
    const series = await setSeriesStage(ctx, actor.person.id, target, args.stage === "none" ? null : args.stage);
    return { private: say.done(say.promptsText.stageSet(series.title, series.stage ? say.STAGE_LABELS[series.stage as SeriesStage] : null)), replaceSource: await promptsMenu(ctx, series.programmeId) };
  },
});

const answersArgs = z.object({
  programmeId: id.optional(),
  seriesId: id.optional(),
  occurrenceId: id.optional(),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

type AnswersTarget = { occurrence?: PromptOccurrence; series?: PromptSeries };

export const promptsFeature: Feature = {
  name: "prompts",
  actions: [
    ...builderActions,
    hardTopic,
    defineAction({
      action: "prompt.answer",
      access: "member",
      // The answers arrive as one field per question (q_<id>); parseAnswers checks them against the questions.
      args: onDelivery.catchall(z.string().max(4000)),
      load: ownDelivery,
      storesWhatTheySay: true,
      run: (ctx, { actor, args, target }) => saveAnswers(ctx, actor.person.id, target, args),
    }),
    defineAction({
      // From a list such as the Slack Home tab: the questions again, privately.
      action: "prompt.open",
      access: "member",
      args: onDelivery,
      load: ownDelivery,
      async run(ctx, { target: { delivery, timeZone } }) {
        const view = viewOf(delivery, timeZone, ctx.settings.minGroupSize);
        const stored = await storedAnswers(ctx, delivery);
        return { private: Object.keys(stored).length ? say.changeAnswers(view, stored) : say.promptMessage(view) };
      },
    }),
    defineAction({
      action: "prompt.change",
      access: "member",
      args: onDelivery,
      load: ownDelivery,
      async run(ctx, { target: { delivery, timeZone } }) {
        return { replaceSource: say.changeAnswers(viewOf(delivery, timeZone, ctx.settings.minGroupSize), await storedAnswers(ctx, delivery)) };
      },
    }),
    defineAction({
      action: "prompt.decline",
      access: "member",
      args: onDelivery,
      load: ownDelivery,
      // "Not this time": no reminders about these, and this series stops for this person until they start it again.
      async run(ctx, { actor, target: { delivery } }) {
        await declineDelivery(ctx, actor.person.id, delivery);
        const series = delivery.occurrence.series;
        return { replaceSource: say.seriesStopped({ seriesId: series.id, title: series.title, changed: true, declined: true, anonymous: series.anonymous }) };
      },
    }),
    defineAction({
      // Pauses every message, as "pause" does; anyone may pause, member or not. It names nothing: a delivery id
      // that older buttons carry is dropped unread.
      action: "prompt.pause",
      access: "anyone",
      args: z.object({}),
      async run(ctx, { actor }) {
        if (actor.newcomer) throw new WesaidError("not_a_member", accessText.notAMemberYet);
        const changed = await setPaused(ctx, actor.person.id, true);
        return { private: say.done(changed ? say.promptsText.paused : say.promptsText.alreadyPaused) };
      },
    }),
    defineAction({
      // "Stop these questions" (from prefs): this series only, for this person. Not a say in anything, so no consent is needed.
      action: "prompt.series.stop",
      access: "member",
      args: onSeries,
      load: seriesById,
      async run(ctx, { actor, target }) {
        const changed = await stopSeriesFor(ctx, actor.person.id, target.id);
        return { private: say.seriesStopped({ seriesId: target.id, title: target.title, changed }) };
      },
    }),
    defineAction({
      action: "prompt.series.restart",
      access: "member",
      args: onSeries,
      load: seriesById,
      async run(ctx, { actor, target }) {
        const changed = await restartSeriesFor(ctx, actor.person.id, target.id);
        return { private: say.done(changed ? say.promptsText.seriesRestarted(target.title) : say.promptsText.notStopped(target.title)) };
      },
    }),
    defineAction({
      action: "prompts.menu",
      access: "prompt.manage",
      args: z.object({ programmeId: id.optional() }),
      run: async (ctx, { membership }) => ({ private: await promptsMenu(ctx, membership.programmeId) }),
    }),
    defineAction({
      action: "prompts.template",
      access: "prompt.manage",
      args: z.object({ programmeId: id, templateKey: z.string().min(1).max(60) }),
      async run(_ctx, { args, membership }) {
        const template = findTemplate(args.templateKey);
        if (!template) throw new WesaidError("not_found", say.promptsText.unknownTemplate);
        return { private: templateForm(membership.programmeId, template) };
      },
    }),
    defineAction({
      action: "prompts.start",
      access: "prompt.manage",
      args: startArgs,
      labels: { anonymous: "Keep names off the answers", when: "When, in your own words" },
      async run(ctx, { actor, args, membership }) {
        const series = await createSeriesFromTemplate(ctx, actor.person.id, membership.programmeId, args.templateKey, overridesFromForm(args));
        const first = nextAskedInSeriesZone(series);
        const next = first ? formatWhen(first, series.timeZone) : say.timingText.noStageLeft;
        const started = say.promptsText.seriesStarted(series.title, next);
        // Anonymous answers from a handful of people may be guessed: the facilitator hears it now, and people are told with the questions.
        const asked = series.anonymous ? (await membersWithRoles(ctx.db, series.programmeId, series.audienceRoles)).length : Infinity;
        const warning = asked < ctx.settings.minGroupSize ? say.promptsText.fewForAnonymous(asked, ctx.settings.minGroupSize) : null;
        return { replaceSource: say.done(warning ? `${started} ${warning}` : started) };
      },
    }),
    changeSeries(false),
    changeSeries(true),
    stageAction,
    defineAction({
      // Read answers: pick a series, see its latest answered occurrence, page on or go back. Evaluators see no words without quoting consent.
      action: "prompt.answers",
      access: "answers.read",
      args: answersArgs,
      async load(ctx, args): Promise<{ programmeId: string | undefined; target: AnswersTarget }> {
        if (args.occurrenceId) {
          const occurrence = await ctx.db.promptOccurrence.findUnique({ where: { id: args.occurrenceId }, include: { series: { select: { programmeId: true } } } });
          if (!occurrence) throw new WesaidError("not_found", say.promptsText.answersNotFound);
          return { programmeId: occurrence.series.programmeId, target: { occurrence } };
        }
        if (args.seriesId) {
          const { programmeId, target: series } = await seriesById(ctx, { seriesId: args.seriesId });
          return { programmeId, target: { series } };
        }
        return { programmeId: args.programmeId, target: {} };
      },
      run(ctx, { actor, args, target, membership }) {
        const reader = roleCan(membership.role, "feedback.from_answer") ? "organiser" : "evaluator";
        if (target.occurrence) return answersPage(ctx, actor, target.occurrence, args.offset, reader);
        if (target.series) return seriesAnswers(ctx, actor, target.series, reader);
        return programmeAnswers(ctx, actor, membership.programmeId, reader);
      },
    }),
  ],
  commands: [
    {
      name: "prompts",
      aliases: ["questions"],
      usage: "prompts",
      summary: "See, start and pause the questions people are sent.",
      capability: "prompt.manage",
      toAction: () => ({ action: "prompts.menu", args: {} }),
    },
    {
      name: "answers",
      usage: "answers",
      summary: "Read what people answered, by role, and make an answer a \"you said\" item or give it codes.",
      capability: "answers.read",
      toAction: () => ({ action: "prompt.answers", args: {} }),
    },
    ...builderCommands,
  ],
  sweeps: [
    { name: "prompts.occurrences", run: sweepOccurrences },
    { name: "prompts.deliveries", run: sweepDeliveries },
    { name: "prompts.reminders", run: sweepReminders },
    { name: "prompts.closing", run: sweepClosed },
  ],
};
