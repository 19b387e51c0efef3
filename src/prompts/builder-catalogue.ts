import { button, buttons, facts, heading, message, note, para, type ActionCall, type Block, type Message } from "../messages/model.ts";
import { ROLE_LABELS, type Role } from "../roles.ts";

/** Every sentence of writing a set of questions in chat: the draft, its forms, the preview. */

export const builderText = {
  untitled: "New questions",
  noDraft: "We could not find that draft. It may have been started or thrown away. Type prompts to see your questions.",
  unknownTemplate: "We could not find that template. Type prompts to see the ones there are.",
  needChoices: "Write at least two answer choices, one on each line.",
  sameChoiceTwice: "Each answer choice must be different.",
  noSuchQuestion: "That question is not in the draft any more. Nothing was changed. Open the draft again to see it as it is now.",
  noSuchPlace: (count: number) => (count === 1 ? "The draft has only one question, so it cannot move." : `The draft has ${count} questions, so a question can go to places 1 to ${count} only. Nothing was changed.`),
  alreadyStarted: (title: string) =>
    `"${title}" has started, so it is not a draft any more and its questions cannot be changed here. Type prompts to pause it, or start a new set of questions.`,
  takeOutCheck: (n: number) => `Take question ${n} out of the draft? You would need to write it again to put it back.`,
  tooManyQuestions: (max: number) => `A set can have at most ${max} questions. Take one out to add another.`,
  chooseARole: "Choose at least one role to send the questions to.",
  rolesThatAnswer: (roles: readonly Role[]) => `Questions can only be sent to these roles: ${roles.map((r) => ROLE_LABELS[r]).join(", ")}.`,
  cannotRead: (words: string, examples: readonly string[]) =>
    `We could not read "${words}" as a time to send. Try words like these: ${examples.map((e) => `"${e}"`).join(", ")}.`,
  missingQuestions: "Add at least one question.",
  missingSchedule: "Choose when to send the questions.",
  missingAudience: "Choose who gets the questions.",
  notReady: (missing: string[]) => `These questions are not ready to start yet. ${missing.join(" ")}`,
  started: (title: string, next: string) => `"${title}" is set up. The first questions go out ${next}.`,
  discarded: (title: string) => `The draft "${title}" is thrown away.`,
  previewNote: "This is what people will see. Try the form: your answers here are checked but not saved.",
  previewButtons: "People also get the buttons Not this time and Pause all messages.",
  tryOut: "Those answers would be saved. Nothing was kept, as this is a preview.",
};

export type DraftQuestionView = { key: string; kind: string; text: string; required: boolean; detail: string | null };

export type DraftView = {
  draftId: string;
  title: string;
  intro: string;
  fromTemplate: string | null;
  questions: DraftQuestionView[];
  schedule: string | null;
  audience: Role[];
  anonymous: boolean;
  missing: string[];
  roles: readonly Role[];
};

const KIND_LABELS: Record<string, string> = {
  text: "Written answer",
  scale: "A number from 0 to 10",
  single: "Choose one",
  multi: "Choose any",
};

/** The form for one question: empty to add one, or filled in with what a question says now to change it. */
function questionForm(form: { id: string; title: string; submitLabel: string; submit: ActionCall; values?: Record<string, string> }): Block {
  const v = form.values ?? {};
  const typed = (id: string) => (v[id] ? { initial: v[id] } : {});
  return {
    kind: "form",
    id: form.id,
    title: form.title,
    openLabel: form.title,
    submitLabel: form.submitLabel,
    submit: form.submit,
    inputs: [
      {
        kind: "single",
        id: "kind",
        label: "Kind of question",
        options: Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label })),
        initial: v.kind ?? "text",
      },
      { kind: "text", id: "text", label: "The question", maxLength: 300, ...typed("text") },
      { kind: "text", id: "help", label: "A few words of help (if you want)", optional: true, maxLength: 300, ...typed("help") },
      { kind: "text", id: "minLabel", label: "For 0 to 10: words for 0 (for example Not at all)", optional: true, maxLength: 60, ...typed("minLabel") },
      { kind: "text", id: "maxLabel", label: "For 0 to 10: words for 10 (for example Very much)", optional: true, maxLength: 60, ...typed("maxLabel") },
      { kind: "text", id: "choices", label: "For choose one or choose any: the choices, one on each line", multiline: true, optional: true, maxLength: 2000, ...typed("choices") },
      {
        kind: "single",
        id: "required",
        label: "Must people answer it?",
        options: [
          { value: "yes", label: "Yes" },
          { value: "no", label: "No, it is up to them" },
        ],
        initial: v.required ?? "yes",
      },
    ],
  };
}

const addQuestionForm = (draftId: string): Block =>
  questionForm({ id: "draft-question", title: "Add a question", submitLabel: "Add", submit: { action: "prompts.draft.add", args: { draftId } } });

function scheduleForm(draftId: string, current: string | null): Block {
  return {
    kind: "form",
    id: "draft-schedule",
    title: "When to send",
    openLabel: current ? "Change when" : "Choose when",
    submitLabel: "Save",
    submit: { action: "prompts.draft.schedule", args: { draftId } },
    inputs: [{ kind: "text", id: "when", label: "When to send, in your own words (for example every other Monday at 10, or every Monday at 10 wherever each person is)", maxLength: 200 }],
  };
}

function detailsForm(v: DraftView): Block {
  return {
    kind: "form",
    id: "draft-details",
    title: "Title and who is asked",
    openLabel: "Title and who is asked",
    submitLabel: "Save",
    submit: { action: "prompts.draft.details", args: { draftId: v.draftId } },
    inputs: [
      { kind: "text", id: "title", label: "Title people will see", initial: v.title, maxLength: 120 },
      { kind: "text", id: "intro", label: "A few words to start (if you want)", initial: v.intro, multiline: true, optional: true, maxLength: 1000 },
      { kind: "multi", id: "audienceRoles", label: "Who gets the questions", options: v.roles.map((r) => ({ value: r, label: ROLE_LABELS[r] })), initial: v.audience },
      {
        kind: "single",
        id: "anonymous",
        label: "Keep names off the answers?",
        options: [
          { value: "yes", label: "Yes, keep the role only" },
          { value: "no", label: "No, keep names" },
        ],
        initial: v.anonymous ? "yes" : "no",
      },
    ],
  };
}

/** Change, move and take out, for question i (0 is the first): each names the question by its key. */
function questionButtons(v: DraftView, key: string, i: number): Block {
  const on = { draftId: v.draftId, question: key };
  return buttons(
    button("Change", "prompts.draft.change", on),
    i > 0 && button("Move up", "prompts.draft.move", { ...on, to: String(i) }),
    i < v.questions.length - 1 && button("Move down", "prompts.draft.move", { ...on, to: String(i + 2) }),
    button("Take out", "prompts.draft.remove", on, { style: "danger", confirm: builderText.takeOutCheck(i + 1) }),
  );
}

/** In place of the draft: the question's own form, filled in with what it says now. Saving puts the draft back. */
export function changeQuestionMessage(draftId: string, key: string, n: number, values: Record<string, string>): Message {
  return message(
    `Change question ${n}`,
    heading(`Change question ${n}`),
    para(`${n}. ${values.text ?? ""}`),
    questionForm({ id: "draft-change", title: `Change question ${n}`, submitLabel: "Save", submit: { action: "prompts.draft.replace", args: { draftId, question: key } }, values }),
    note("Saving puts the new words in place of the old ones. The question keeps its place."),
    buttons(button("Back to the draft", "prompts.draft.view", { draftId })),
  );
}

/** The draft so far, with a form for each next step. */
export function draftMessage(v: DraftView): Message {
  return message(
    `Draft: ${v.title}`,
    heading(`Draft: ${v.title}`),
    v.fromTemplate ? note(`Started from the template "${v.fromTemplate}". Change anything you like.`) : null,
    facts([
      ["When", v.schedule ?? "Not chosen yet"],
      ["Sent to", v.audience.length ? v.audience.map((r) => ROLE_LABELS[r]).join(", ") : "Nobody yet"],
      ["Names", v.anonymous ? "Anonymous: answers are kept with the role only" : "Answers are kept with the person's name"],
    ]),
    para(v.questions.length ? "The questions so far:" : "There are no questions yet."),
    ...v.questions.flatMap((q, i): Block[] => [
      para(`${i + 1}. ${q.text}${q.required ? "" : " (people can leave it out)"}`),
      note(`${KIND_LABELS[q.kind] ?? q.kind}${q.detail ? `: ${q.detail}` : ""}`),
      questionButtons(v, q.key, i),
    ]),
    addQuestionForm(v.draftId),
    scheduleForm(v.draftId, v.schedule),
    detailsForm(v),
    v.missing.length ? note(`Before you start: ${v.missing.join(" ")}`) : null,
    buttons(
      v.questions.length > 0 && button("Preview", "prompts.draft.preview", { draftId: v.draftId }),
      v.missing.length === 0 && button("Start sending", "prompts.draft.publish", { draftId: v.draftId }, { style: "primary" }),
      button("Throw away", "prompts.draft.discard", { draftId: v.draftId }, { style: "danger", confirm: "Throw this draft away? This cannot be undone." }),
    ),
  );
}

/** Wraps the participant's message for the facilitator: a note on top, and the way back to the draft below. */
export function previewMessage(draftId: string, participantMessage: Message): Message {
  return message(
    `Preview: ${participantMessage.summary}`,
    note(builderText.previewNote),
    // The same form, but sending it tries the answers out instead of saving them.
    ...participantMessage.blocks
      .filter((b) => b.kind !== "buttons")
      .map((b): Block => (b.kind === "form" ? { ...b, submit: { action: "prompts.draft.try", args: { draftId } } } : b)),
    note(builderText.previewButtons),
    buttons(button("Back to the draft", "prompts.draft.view", { draftId })),
  );
}

export function tryOutMessage(draftId: string, answers: { question: string; answer: string }[]): Message {
  return message(
    builderText.tryOut,
    para(builderText.tryOut),
    facts(answers.map((a) => [a.question, a.answer])),
    buttons(button("Back to the draft", "prompts.draft.view", { draftId })),
  );
}
