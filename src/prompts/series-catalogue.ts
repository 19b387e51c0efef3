import { button, buttons, facts, heading, message, note, para, type Block, type Input, type Message } from "../messages/model.ts";
import { ROLE_LABELS, type Role } from "../roles.ts";
import { STAGE_LABELS, promptsText, timingText, type Stage } from "./catalogue.ts";

/** What organisers read when they set up and manage sets of questions: the menu, stages, templates. */

export type SeriesView = {
  id: string;
  title: string;
  schedule: string;
  next: string | null;
  active: boolean;
  anonymous: boolean;
  hardTopic: boolean;
  stage: Stage | null;
  audience: Role[];
};

/** Marks a series as asked at the start, mid-point or end, for the before and after in the digest. */
function stageForm(s: SeriesView): Block {
  return {
    kind: "form",
    id: `stage-${s.id}`,
    title: `When in the programme is "${s.title}" asked?`,
    openLabel: "Set the stage",
    submitLabel: "Save",
    submit: { action: "prompts.series.stage", args: { seriesId: s.id } },
    inputs: [
      {
        kind: "single",
        id: "stage",
        label: s.anonymous ? "Answers without names cannot be compared between stages. When is it asked?" : "When is it asked?",
        options: [
          { value: "baseline", label: "At the start (baseline)" },
          { value: "midpoint", label: "Half way through" },
          { value: "end", label: "At the end" },
          { value: "none", label: "Not at a stage" },
        ],
        initial: s.stage ?? "none",
      },
    ],
  };
}

export function promptsMenu(p: {
  programmeName: string;
  series: SeriesView[];
  drafts?: { id: string; title: string }[];
  templates: { key: string; title: string; summary: string }[];
  programmeId: string;
}): Message {
  const seriesBlocks = p.series.flatMap((s): Block[] => [
    para(`${s.title}${s.active ? "" : " (paused)"}`),
    facts([
      ["When", s.schedule],
      ["Next", s.active ? s.next : "Not until it is resumed"],
      ["Sent to", s.audience.map((r) => ROLE_LABELS[r]).join(", ")],
      ["Names", s.anonymous ? "Anonymous: answers are kept with the role only" : "Answers are kept with the person's name"],
      ["Hard topic", s.hardTopic ? "Yes: people are offered support contacts after they answer" : "No"],
      ["Stage", s.stage ? STAGE_LABELS[s.stage] : undefined],
    ]),
    stageForm(s),
    buttons(
      s.active
        ? button("Pause", "prompts.series.pause", { seriesId: s.id })
        : button("Resume", "prompts.series.resume", { seriesId: s.id }, { style: "primary" }),
      button("See answers", "prompt.answers", { seriesId: s.id }),
      s.hardTopic
        ? button("Not a hard topic", "prompts.series.hard_topic", { seriesId: s.id, hard: "no" })
        : button("Mark as a hard topic", "prompts.series.hard_topic", { seriesId: s.id, hard: "yes" }),
    ),
  ]);
  return message(
    `Questions in ${p.programmeName}`,
    heading(`Questions in ${p.programmeName}`),
    para(p.series.length ? "These sets of questions are set up:" : "No questions are set up yet."),
    ...seriesBlocks,
    { kind: "divider" },
    heading("Start a new set of questions"),
    ...(p.drafts ?? []).flatMap((d) => [para(`Draft not started yet: ${d.title}`), buttons(button("Carry on writing", "prompts.draft.view", { draftId: d.id }))]),
    buttons(button("Write your own questions", "prompts.draft.new", { programmeId: p.programmeId }, { style: "primary" })),
    para("Or use a template as it is, or as a starting point:"),
    ...p.templates.flatMap((t) => [
      para(`${t.title}: ${t.summary}`),
      buttons(
        button(`Use "${t.title}"`, "prompts.template", { programmeId: p.programmeId, templateKey: t.key }),
        button("Start from this template", "prompts.draft.new", { programmeId: p.programmeId, templateKey: t.key }),
      ),
    ]),
  );
}

export function startFromTemplate(p: {
  programmeId: string;
  templateKey: string;
  title: string;
  questions: string[];
  cron: string;
  presets: readonly { cron: string; label: string }[];
  timeZone: string;
  anonymous: boolean;
  audience: Role[];
  roles: readonly Role[];
}): Message {
  return message(
    `Start "${p.title}"`,
    heading(`Start "${p.title}"`),
    para("People will be asked:"),
    ...p.questions.map((q) => para(`• ${q}`)),
    {
      kind: "form",
      id: "start",
      title: "Start these questions",
      openLabel: "Choose when and who",
      submitLabel: "Start",
      submit: { action: "prompts.start", args: { programmeId: p.programmeId, templateKey: p.templateKey } },
      inputs: [
        { kind: "text", id: "title", label: "Title people will see", initial: p.title, maxLength: 120 },
        {
          kind: "single",
          id: "schedule",
          label: "How often",
          options: p.presets.map((s) => ({ value: s.cron, label: s.label })),
          initial: p.presets.some((s) => s.cron === p.cron) ? p.cron : undefined,
          optional: true,
        },
        { kind: "text", id: "when", label: "Or say when in your own words (for example every other Monday at 10)", optional: true, maxLength: 200 },
        { kind: "text", id: "timeZone", label: "Time zone", initial: p.timeZone },
        {
          kind: "single",
          id: "localTime",
          label: timingText.localTimeLabel,
          options: [
            { value: "no", label: timingText.localTimeNo },
            { value: "yes", label: timingText.localTimeYes },
          ],
          initial: "no",
        },
        { kind: "text", id: "baselineAt", label: timingText.stageDateLabel(STAGE_LABELS.baseline), optional: true, maxLength: 40 },
        { kind: "text", id: "midpointAt", label: timingText.stageDateLabel(STAGE_LABELS.midpoint), optional: true, maxLength: 40 },
        { kind: "text", id: "endAt", label: timingText.stageDateLabel(STAGE_LABELS.end), optional: true, maxLength: 40 },
        { kind: "multi", id: "audienceRoles", label: "Who gets the questions", options: p.roles.map((r) => ({ value: r, label: ROLE_LABELS[r] })), initial: p.audience },
        {
          kind: "single",
          id: "anonymous",
          label: "Keep names off the answers?",
          options: [
            { value: "yes", label: "Yes, keep the role only" },
            { value: "no", label: "No, keep names" },
          ],
          initial: p.anonymous ? "yes" : "no",
        },
      ],
    },
    note("You can pause these questions at any time: type prompts."),
  );
}

// ------------------------------------------------------------------ reading answers (facilitators)

