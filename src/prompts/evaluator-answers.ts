import type { CoreContext } from "../context.ts";
import type { Reply } from "../interactions.ts";
import type { PromptQuestion, PromptResponse } from "../generated/prisma/client.ts";
import type { Role } from "../roles.ts";
import { countPeopleByRole } from "../suppression.ts";
import { ExportPeople } from "../evidence/index.ts";
import { evaluatorAnswersMessage, type EvaluatorAnswersView } from "./evaluator-catalogue.ts";

/**
 * Evaluators reading answers: the same rule as the answers export (src/evidence/people.ts), so
 * what they read in chat is what the file would hold. A pseudonymous id and a role (or "Someone"
 * where fewer than N of that role were asked), never a name or a platform id; words only from
 * people who agreed to be quoted, and none from anonymous sets of questions.
 */

type Written = Pick<PromptResponse, "id" | "questionId" | "personId"> & { role: Role | null; text: string };

export async function evaluatorAnswers(
  ctx: CoreContext,
  p: Omit<EvaluatorAnswersView, "answers" | "total" | "notShown"> & {
    programmeId: string;
    questions: PromptQuestion[];
    written: Written[];
    asked: { personId: string; role: Role }[];
  },
): Promise<Reply> {
  const people = new ExportPeople(ctx.db, ctx.settings, p.programmeId);
  await people.learnConsent(p.written.map((r) => r.personId));
  const labelOf = people.labeller(countPeopleByRole(p.asked, (d) => d.role, (d) => d.personId));
  const shown = p.written.filter((r) => people.words(r.personId, r.text, p.anonymous).text !== "");
  const questionText = new Map(p.questions.map((q) => [q.id, q.text]));
  const page = shown.slice(p.offset, p.offset + p.pageSize);
  return {
    private: evaluatorAnswersMessage({
      ...p,
      answers: page.map((r) => ({ responseId: r.id, question: questionText.get(r.questionId) ?? "", person: people.id(r.personId), label: labelOf(r.role), text: r.text })),
      total: shown.length,
      notShown: p.written.length - shown.length,
    }),
  };
}
