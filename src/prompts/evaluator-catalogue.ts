import { button, buttons, facts, heading, message, note, para, type Block, type Message } from "../messages/model.ts";
import { summaryLine, type AnswersView } from "./catalogue.ts";

/** What an evaluator reads of the answers: the export's view, in chat (src/prompts/evaluator-answers.ts). */

export type EvaluatorAnswerLine = { responseId: string; question: string; person: string; label: string; text: string };
export type EvaluatorAnswersView = Omit<AnswersView, "answers"> & { answers: EvaluatorAnswerLine[]; notShown: number };

const people = (n: number) => `${n} ${n === 1 ? "person" : "people"}`;

export const evaluatorText = {
  howShown:
    'Names are never shown here. Each person has a made-up id that starts with "p-", the same as in the exports. ' +
    'A role is shown only where enough people of it were asked; otherwise it says "Someone".',
  notShown: (n: number) =>
    `${n} written ${n === 1 ? "answer is" : "answers are"} not shown, because the person did not agree to be quoted or answered without their name.`,
  noWords: "No written answers can be shown for this round of questions.",
};

function lines(answers: EvaluatorAnswerLine[]): Block[] {
  let question = "";
  return answers.flatMap((a): Block[] => {
    const blocks: Block[] = [];
    if (a.question !== question) blocks.push(heading(a.question));
    question = a.question;
    blocks.push(para(`${a.person ? `${a.person}, ` : ""}${a.label}: "${a.text}"`));
    blocks.push(buttons(button("Code", "coding.pick", { kind: "answer", id: a.responseId })));
    return blocks;
  });
}

/** Counts, number answers in short, and written answers by pseudonymous id and role, each with a Code button. */
export function evaluatorAnswersMessage(v: EvaluatorAnswersView): Message {
  const first = v.offset === 0;
  const title = first ? `Answers to "${v.title}"` : `More answers to "${v.title}"`;
  const shownTo = v.offset + v.answers.length;
  const nav = [
    shownTo < v.total && button("Show more", "prompt.answers", { occurrenceId: v.occurrenceId, offset: String(shownTo) }),
    Boolean(v.previousId) && button("See earlier answers", "prompt.answers", { occurrenceId: v.previousId! }),
    Boolean(v.newerId) && button("See later answers", "prompt.answers", { occurrenceId: v.newerId! }),
  ];
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
    first && v.total === 0 && para(evaluatorText.noWords),
    ...lines(v.answers),
    v.total > v.pageSize && note(`These are written answers ${v.offset + 1} to ${shownTo} of ${v.total}.`),
    first && v.notShown > 0 && note(evaluatorText.notShown(v.notShown)),
    nav.some(Boolean) && buttons(...nav),
    note(evaluatorText.howShown),
  );
}
