import { PARTICIPANT_ROLES, type Role } from "../roles.ts";

/**
 * Ready-made question sets, as data, drawn from the evaluations in seeds/:
 * NDTi's baseline / mid-point / final survey (003 §1.4), Co:Create's "Gold
 * Standard" reflection (001), the ladder of participation (001 Fig. 2) and
 * the panel debrief (001 CS3). Every question is in plain English.
 */

export type TemplateQuestion =
  | { kind: "text"; text: string; help?: string; required?: boolean }
  | { kind: "scale"; text: string; help?: string; min?: number; max?: number; minLabel?: string; maxLabel?: string; required?: boolean }
  | { kind: "single" | "multi"; text: string; help?: string; options: string[]; required?: boolean };

export type PromptTemplate = {
  key: string;
  title: string;
  intro: string;
  /** One line for facilitators choosing a template. */
  summary: string;
  cron: string;
  audienceRoles: readonly Role[];
  anonymous: boolean;
  reminderAfterHours: number;
  maxReminders: number;
  closeAfterHours: number;
  questions: TemplateQuestion[];
};

/** Ways to say "how often" that facilitators can pick instead of writing a cron line. */
export const SCHEDULE_PRESETS = [
  { cron: "0 10 * * 1", label: "Every Monday at 10am" },
  { cron: "0 10 1 * *", label: "On the 1st of each month at 10am" },
  { cron: "0 10 15 * *", label: "On the 15th of each month at 10am" },
  { cron: "0 10 1 1,4,7,10 *", label: "Every 3 months (January, April, July, October) at 10am" },
] as const;

export function describeSchedule(cron: string): string | null {
  return SCHEDULE_PRESETS.find((p) => p.cron === cron)?.label ?? null;
}

const GOLD_STANDARD = [
  "Holistic: we thought about the whole person, not just one part",
  "Resourced: there was enough time, money and support",
  "Transparent: we were open and honest about decisions",
  "Inclusive: everyone who should be involved could take part",
  "Iterative: we tried things, learned, and changed",
  "Positive: it felt good to be involved",
  "Equal: everyone's views counted the same",
  "Sustainable: what we did will keep going",
];

export const PROMPT_TEMPLATES: readonly PromptTemplate[] = [
  {
    key: "ndti_survey",
    title: "How is co-production going?",
    intro:
      "We ask the same few questions at the start, in the middle and at the end of the programme. " +
      "This helps us see what changes over time. There are no right or wrong answers.",
    summary: "The same short survey at the start, middle and end: what you know and feel about co-production, what is going well and what is hard.",
    cron: "0 10 1 1,4,7,10 *",
    audienceRoles: PARTICIPANT_ROLES,
    anonymous: false,
    reminderAfterHours: 72,
    maxReminders: 2,
    closeAfterHours: 14 * 24,
    questions: [
      {
        kind: "scale",
        text: "How much do you know about co-production right now?",
        help: "Co-production means people who use services and staff plan and decide things together.",
        minLabel: "Nothing",
        maxLabel: "A lot",
      },
      { kind: "scale", text: "How do you feel about co-production right now?", minLabel: "Not good about it", maxLabel: "Very good about it" },
      { kind: "text", text: "What has gone well since we last asked?" },
      { kind: "text", text: "What has been hard, or got in the way?", required: false },
    ],
  },
  {
    key: "gold_standard",
    title: "Looking back on this month",
    intro: "A few quick questions about how working together went this month.",
    summary: "A monthly look back against the Co:Create Gold Standard (holistic, resourced, transparent, inclusive, iterative, positive, equal, sustainable).",
    cron: "0 10 1 * *",
    audienceRoles: PARTICIPANT_ROLES,
    anonymous: false,
    reminderAfterHours: 72,
    maxReminders: 1,
    closeAfterHours: 7 * 24,
    questions: [
      { kind: "multi", text: "Which of these went well this month?", help: "Choose as many as you like.", options: GOLD_STANDARD, required: false },
      { kind: "multi", text: "Which of these need more work?", help: "Choose as many as you like.", options: GOLD_STANDARD, required: false },
      { kind: "text", text: "Tell us more, if you want to. What happened?", required: false },
    ],
  },
  {
    key: "ladder_check",
    title: "How involved did you feel?",
    intro: "We want to know if people really shaped the decisions made this month.",
    summary: "A check on the ladder of participation: were people told, asked, helping to shape, or deciding together?",
    cron: "0 10 15 * *",
    audienceRoles: PARTICIPANT_ROLES,
    anonymous: true,
    reminderAfterHours: 72,
    maxReminders: 1,
    closeAfterHours: 7 * 24,
    questions: [
      {
        kind: "single",
        text: "How involved did you feel in the decisions made this month?",
        options: ["We were told about it", "We were asked what we thought", "We helped shape it", "We made it together"],
      },
      { kind: "text", text: "What would have helped you be more involved?", required: false },
    ],
  },
  {
    key: "panel_debrief",
    title: "After the panel",
    intro: "Thank you for taking part. Talking about how it went helps us do it better next time.",
    summary: "A debrief after a panel or meeting: what went well, what could be better, and whether people felt listened to.",
    cron: "0 10 1 1,4,7,10 *",
    audienceRoles: PARTICIPANT_ROLES,
    anonymous: false,
    reminderAfterHours: 48,
    maxReminders: 1,
    closeAfterHours: 7 * 24,
    questions: [
      { kind: "text", text: "What went well?" },
      { kind: "text", text: "What could be better?" },
      { kind: "single", text: "Did you feel listened to?", options: ["Yes", "Partly", "No"] },
      { kind: "text", text: "Is there anything we should change next time?", required: false },
    ],
  },
];

export function findTemplate(key: string): PromptTemplate | undefined {
  return PROMPT_TEMPLATES.find((t) => t.key === key);
}
