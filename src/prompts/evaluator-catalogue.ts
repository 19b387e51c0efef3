import { heading, note, para, type Block, type Message } from "../messages/model.ts";
import { codeButton } from "../coding/index.ts";
import { answersPage, type AnswersView } from "./catalogue.ts";

/** What an evaluator reads of the answers: the export's view, in chat (src/prompts/evaluator-answers.ts). */

export type EvaluatorAnswerLine = { responseId: string; question: string; person: string; label: string; text: string };
export type EvaluatorAnswersView = Omit<AnswersView, "answers"> & { answers: EvaluatorAnswerLine[]; notShown: number };

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
    blocks.push(codeButton("answer", a.responseId));
    return blocks;
  });
}

/** Counts, number answers in short, and written answers by pseudonymous id and role, each with a Code button. */
export function evaluatorAnswersMessage(v: EvaluatorAnswersView): Message {
  return answersPage(v, {
    noWords: evaluatorText.noWords,
    written: lines(v.answers),
    shown: v.answers.length,
    notes: [v.offset === 0 && v.notShown > 0 && note(evaluatorText.notShown(v.notShown)), note(evaluatorText.howShown)],
  });
}
