import { button, buttons, facts, heading, message, note, para, type Block, type Input, type Message } from "../messages/model.ts";
import { ROLE_LABELS, type Role } from "../roles.ts";

/** A question as the catalogue needs it (the PromptQuestion row fits). */
export type QuestionView = {
  id: string;
  kind: string;
  text: string;
  help: string;
  options: string[];
  scaleMin: number;
  scaleMax: number;
  minLabel: string;
  maxLabel: string;
  required: boolean;
};

export type AnswerValue = string | number | string[];

export const answerField = (questionId: string) => `q_${questionId}`;

export const promptsText = {
  whoSeesNamed:
    "The facilitators see your answers with your name. The evaluation team sees them with your role only, never your name.",
  whoSeesAnonymous: "Your answers are kept without your name. Nobody can tell which answers are yours.",
  whoSeesAnonymousFew:
    "Your answers are kept without your name or your role. But only a few people were asked, so others might guess which answers are yours.",
  yourChoice:
    "Answer only what you want to: you can skip any question marked optional. " +
    "Press Not this time to stop getting these questions. You can start them again in prefs. " +
    "To stop all messages for a while, press Pause all messages. wesaid is a computer program, not a person.",
  closed: (when: string) => `Thank you for wanting to answer. These questions closed on ${when}, so we cannot take answers now. New ones will come soon.`,
  notYours: "These questions were sent to someone else, so you cannot answer them.",
  notFound: "We could not find those questions. They may have been removed.",
  notSent: "These questions are not open for you.",
  nothingAnswered: "Please answer at least one question. If you do not want these questions, press Not this time.",
  declined: (title: string) =>
    `That is fine. We will not send you "${title}" again, and no reminders. Your other messages still come. To get them back, press Send them again or type prefs.`,
  declinedAnonymous: (title: string) =>
    `That is fine. We will not send you "${title}" again. These questions are anonymous, so we do not note who says no to this round: ` +
    "you may still get a reminder about it, and you can ignore it. To get them back, press Send them again or type prefs.",
  paused: "All your messages are paused, questions included. We will not send you anything until you type resume. Nothing you already told us is lost.",
  notCountedAnonymous: "To keep it secret, we do not note that you answered. So these answers do not show in my-time.",
  remindEveryone:
    "We send this to everyone we asked, as we do not note who has answered. If you have answered already, thank you. There is nothing more to do.",
  fewForAnonymous: (asked: number, min: number) =>
    `Only ${asked} ${asked === 1 ? "person" : "people"} can get these questions now. With fewer than ${min}, people might guess who said what. ` +
    "So we keep no role on the answers, and we tell people this.",
  alreadyPaused: "Your messages are already paused. Type resume when you are ready.",
  seriesStopped: (title: string) =>
    `We will not send you "${title}" again. Your other messages still come. If you change your mind, press Send them again or type prefs.`,
  alreadyStopped: (title: string) => `You have already stopped "${title}". If you want it back, press Send them again or type prefs.`,
  seriesRestarted: (title: string) => `You will get "${title}" again, from the next time it goes out.`,
  notStopped: (title: string) => `You still get "${title}". There is nothing to change.`,
  unknownTemplate: "We do not have a question set with that name.",
  noSeries: "We could not find that set of questions.",
  badTimeZone: "That time zone is not one we know. Try one like Europe/London.",
  badCron: 'We could not read "When to send". Try words like "every Monday at 10" or "first Tuesday of the month at 9".',
  tooOften: "Questions can go out at most once a day. Please choose a slower schedule.",
  markedHard: (title: string) => `"${title}" is marked as a hard topic. After they answer, people will see who they can talk to for support.`,
  notHard: (title: string) => `"${title}" is no longer marked as a hard topic.`,
  seriesPaused: (title: string) => `"${title}" is paused. Nobody will get these questions until you resume it.`,
  seriesResumed: (title: string, next: string) => `"${title}" is on again. The next questions go out ${next}.`,
  alreadyPausedSeries: (title: string) => `"${title}" is already paused.`,
  alreadyActiveSeries: (title: string) => `"${title}" is already on.`,
  stageSet: (title: string, stage: string | null) =>
    stage ? `"${title}" is now marked as asked at ${stage.toLowerCase()}. The weekly summary compares answers between stages.` : `"${title}" is no longer marked with a stage.`,
  seriesStarted: (title: string, next: string) => `"${title}" is set up. The first questions go out ${next}.`,
  noAnswersAtAll: "Nobody has answered any questions yet. Answers show here once people send them.",
  noAnswersYet: (title: string) => `Nobody has answered "${title}" yet.`,
  answersNotFound: "We could not find those answers. They may have been removed.",
  namesHidden: 'Names are not shown here, only roles. Where only a few people of a role were asked, it says "Someone" instead. If you make an answer a "you said" item, we tell the person who gave it.',
  anonymousAnswers:
    'These answers were anonymous. A role is kept only where enough people with it were asked. If you make one a "you said" item, we cannot tell who gave it.',
};

function inputFor(q: QuestionView, initial?: AnswerValue): Input {
  const id = answerField(q.id);
  const label = q.help ? `${q.text} ${q.help}` : q.text;
  const optional = !q.required;
  const options = q.options.map((o) => ({ value: o, label: o }));
  switch (q.kind) {
    case "scale":
      return {
        kind: "scale",
        id,
        label,
        optional,
        min: q.scaleMin,
        max: q.scaleMax,
        minLabel: q.minLabel || undefined,
        maxLabel: q.maxLabel || undefined,
        initial: typeof initial === "number" ? initial : undefined,
      };
    case "single":
      return { kind: "single", id, label, optional, options, initial: typeof initial === "string" ? initial : undefined };
    case "multi":
      return { kind: "multi", id, label, optional, options, initial: Array.isArray(initial) ? initial : undefined };
    default:
      return { kind: "text", id, label, optional, multiline: true, maxLength: 2000, initial: typeof initial === "string" ? initial : undefined };
  }
}

export type Stage = "baseline" | "midpoint" | "end";

/** How a stage reads, and what it tells the person answering. */
export const STAGE_LABELS: Record<Stage, string> = { baseline: "The start", midpoint: "The mid-point", end: "The end" };
const STAGE_WHY: Record<Stage, string> = {
  baseline: "This is the start survey. We ask these questions at the start of the programme. We will ask them again later, to see what has changed.",
  midpoint: "This is the mid-point survey. We ask these questions half way through the programme, to see what has changed since the start.",
  end: "This is the end survey. We ask these questions at the end of the programme, to see what has changed since the start.",
};

export type PromptView = {
  deliveryId: string;
  seriesId: string;
  title: string;
  intro: string;
  programmeName: string;
  anonymous: boolean;
  /** The stage of the programme this series asks at, or null. */
  stage: Stage | null;
  /** Fewer than MIN_GROUP_SIZE people could answer: anonymous answers keep no role, and people are told they might be guessed. */
  fewAsked: boolean;
  closesAt: string;
  questions: QuestionView[];
};

const whoSees = (p: PromptView) => (!p.anonymous ? promptsText.whoSeesNamed : p.fewAsked ? promptsText.whoSeesAnonymousFew : promptsText.whoSeesAnonymous);

function promptBlocks(p: PromptView, initial: Record<string, AnswerValue> = {}): Block[] {
  return [
    {
      kind: "form",
      id: "prompt",
      title: "Your answers",
      openLabel: Object.keys(initial).length ? "Change my answers" : "Answer the questions",
      submitLabel: "Send my answers",
      submit: { action: "prompt.answer", args: { deliveryId: p.deliveryId } },
      inputs: p.questions.map((q) => inputFor(q, initial[q.id])),
    },
    note(whoSees(p)),
    note(promptsText.yourChoice),
    buttons(
      button("Not this time", "prompt.decline", { deliveryId: p.deliveryId }),
      button("Pause all messages", "prompt.pause", {}),
    ),
  ];
}

/** The questions, sent privately when a slot comes round. */
export function promptMessage(p: PromptView): Message {
  return message(
    `${p.title}: a few questions from ${p.programmeName}`,
    heading(p.title),
    p.intro ? para(p.intro) : null,
    p.stage ? para(STAGE_WHY[p.stage]) : null,
    facts([
      ["From", p.programmeName],
      ["Stage", p.stage ? STAGE_LABELS[p.stage] : undefined],
      ["Please answer by", p.closesAt],
    ]),
    ...promptBlocks(p),
  );
}

/** A gentle nudge, with the same questions so they can be answered from here. */
export function promptReminder(p: PromptView): Message {
  return message(
    `A gentle reminder: ${p.title}`,
    heading(`A gentle reminder: ${p.title}`),
    para("If you have a few minutes, we would like to hear from you. If not, that is fine."),
    p.anonymous && para(promptsText.remindEveryone),
    facts([
      ["From", p.programmeName],
      ["Please answer by", p.closesAt],
    ]),
    ...promptBlocks(p),
    p.anonymous && buttons(button("See my answers", "prompt.change", { deliveryId: p.deliveryId })),
  );
}

/** The form again, filled in with what they said, so they can change it. */
export function changeAnswers(p: PromptView, initial: Record<string, AnswerValue>): Message {
  return message(`Change your answers: ${p.title}`, heading(p.title), para(`You can change your answers until ${p.closesAt}.`), ...promptBlocks(p, initial));
}

export function answersSaved(p: PromptView, answers: { question: string; answer: string }[]): Message {
  return message(
    "Thank you. Your answers are saved.",
    heading("Thank you. Your answers are saved."),
    facts(answers.map((a) => [a.question, a.answer])),
    note(whoSees(p)),
    p.anonymous && note(promptsText.notCountedAnonymous),
    para(`You can change your answers until ${p.closesAt}.`),
    buttons(button("Change my answers", "prompt.change", { deliveryId: p.deliveryId })),
  );
}

/** After "Not this time" or "Stop these questions": what changed, and the button that undoes it. */
export function seriesStopped(p: { seriesId: string; title: string; changed: boolean; declined?: boolean; anonymous?: boolean }): Message {
  const words =
    p.declined && p.anonymous
      ? promptsText.declinedAnonymous(p.title)
      : p.declined
        ? promptsText.declined(p.title)
        : p.changed
          ? promptsText.seriesStopped(p.title)
          : promptsText.alreadyStopped(p.title);
  return message(words, para(words), buttons(button("Send them again", "prompt.series.restart", { seriesId: p.seriesId })));
}

export function showAnswer(value: AnswerValue): string {
  return Array.isArray(value) ? value.join("; ") : String(value);
}

export function done(text: string): Message {
  return message(text, para(text));
}

// ------------------------------------------------------------------ for facilitators

export * from "./series-catalogue.ts";

export type AnswerSummary =
  | { kind: "scale"; question: string; count: number; average: number; min: number; max: number }
  | { kind: "choice"; question: string; count: number; counts: [string, number][] };

/** `label` is the role, or "Someone" where the role would point at a small group (src/suppression.ts rule 9). */
export type WrittenAnswerView = { responseId: string; question: string; label: string; text: string; ideaNumber?: number };

export type AnswersView = {
  occurrenceId: string;
  title: string;
  askedOn: string;
  sent: number;
  answered: number;
  anonymous: boolean;
  summaries: AnswerSummary[];
  answers: WrittenAnswerView[];
  offset: number;
  total: number;
  pageSize: number;
  previousId?: string;
  newerId?: string;
};

const people = (n: number) => `${n} ${n === 1 ? "person" : "people"}`;

export function summaryLine(s: AnswerSummary): [string, string] {
  if (s.kind === "scale") return [s.question, `${s.count} ${s.count === 1 ? "answer" : "answers"}. On average ${s.average}, on a scale of ${s.min} to ${s.max}.`];
  return [s.question, s.counts.map(([option, n]) => `${option}: ${n}`).join(", ")];
}

function writtenBlocks(answers: WrittenAnswerView[]): Block[] {
  let question = "";
  return answers.flatMap((a): Block[] => {
    const blocks: Block[] = [];
    if (a.question !== question) blocks.push(heading(a.question));
    question = a.question;
    blocks.push(para(`${a.label}: "${a.text}"`));
    if (a.ideaNumber) blocks.push(note(`This is already idea #${a.ideaNumber}.`));
    blocks.push(
      buttons(
        !a.ideaNumber && button('Make this a "you said" item', "feedback.from_answer", { responseId: a.responseId }),
        button("Code", "coding.pick", { kind: "answer", id: a.responseId }),
      ),
    );
    return blocks;
  });
}

/** What people answered, for facilitators: counts, number answers in short, and written answers by role only. */
export function answersMessage(v: AnswersView): Message {
  return answersPage(v, {
    noWords: "Nobody wrote anything in words this time.",
    written: writtenBlocks(v.answers),
    shown: v.answers.length,
    notes: [note(v.anonymous ? promptsText.anonymousAnswers : promptsText.namesHidden)],
  });
}

/**
 * The answers page both readers get (facilitators by role, evaluators by made-up id): the same counts, paging and
 * links to other rounds; only the written answers and the notes under them differ.
 */
export function answersPage(
  v: Omit<AnswersView, "answers">,
  p: { noWords: string; written: Block[]; shown: number; notes: (Block | false)[] },
): Message {
  const first = v.offset === 0;
  const title = first ? `Answers to "${v.title}"` : `More answers to "${v.title}"`;
  const shownTo = v.offset + p.shown;
  const nav = [
    shownTo < v.total && button("Show more", "prompt.answers", { occurrenceId: v.occurrenceId, offset: String(shownTo) }),
    Boolean(v.previousId) && button("See earlier answers", "prompt.answers", { occurrenceId: v.previousId! }),
    Boolean(v.newerId) && button("See later answers", "prompt.answers", { occurrenceId: v.newerId! }),
  ];
  const [last, ...before] = [...p.notes].reverse();
  return message(
    title,
    heading(title),
    first &&
      facts([
        ["Asked on", v.askedOn],
        ["Sent to", people(v.sent)],
        ["Answered", people(v.answered)],
      ]),
    first && v.summaries.length > 0 && facts(v.summaries.map(summaryLine)),
    first && v.total === 0 && para(p.noWords),
    ...p.written,
    v.total > v.pageSize && note(`These are written answers ${v.offset + 1} to ${shownTo} of ${v.total}.`),
    ...before.reverse(),
    nav.some(Boolean) && buttons(...nav),
    last ?? false,
  );
}

export function answersPick(p: { series: { id: string; title: string }[] }): Message {
  return message(
    "Which answers do you want to see?",
    heading("Which answers do you want to see?"),
    ...p.series.map((s) => buttons(button(s.title, "prompt.answers", { seriesId: s.id }))),
  );
}

/** Words for when a series asks: at each person's own time, or on the dates of a staged survey. */
export const timingText = {
  localTimeLabel: "Send at each person's own local time? (People whose time zone we do not know get the time zone above.)",
  localTimeYes: "Yes, at this time wherever each person is",
  localTimeNo: "No, at this time in the time zone above",
  stageDateLabel: (stage: string) => `${stage} survey date (like 2027-03-10 10:00). Leave all three empty to repeat on the schedule.`,
  localTime: (schedule: string) => `${schedule}, at each person's own local time`,
  stagedSchedule: (dates: string) => `A survey at each stage: ${dates}`,
  noStageLeft: "every stage has been asked",
  stageInPast: "Each survey date must be in the future.",
  stagesOutOfOrder: "Put the survey dates in order: the start first, then the mid-point, then the end, at least a day apart.",
  badStageDate: (label: string) => `We could not read "${label}". Write it like 2027-03-10 10:00.`,
  needCron: 'Please choose how often, or write a cron line in "When to send", or give survey dates.',
};
