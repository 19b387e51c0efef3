import { WesaidError } from "../errors.ts";
import type { CoreContext } from "../context.ts";
import { builderText } from "./builder-catalogue.ts";
import { changeDraft, questionFromForm, type Draft, type KeyedQuestion } from "./drafts.ts";

/**
 * Changing a question already in a draft: in place, out, or to another place.
 * Each names the question by its key and works on the draft as it is when the
 * row lock is held (drafts.ts changeDraft), so a button from an older view acts
 * on the question it was shown next to, or refuses politely and changes nothing.
 */

function place(draft: Draft, key: string): number {
  const at = draft.questions.findIndex((q) => q.key === key);
  if (at < 0) throw new WesaidError("not_found", builderText.noSuchQuestion);
  return at;
}

/** The question and its place (1 to n), for the "Change" form. */
export function questionIn(draft: Draft, key: string): { question: KeyedQuestion; number: number } {
  const at = place(draft, key);
  return { question: draft.questions[at]!, number: at + 1 };
}

/** Saving the "Change" form: the same checks as adding, and the question keeps its key and place. */
export async function replaceQuestion(ctx: CoreContext, draft: Draft, key: string, raw: unknown): Promise<Draft> {
  const question = questionFromForm(raw);
  return changeDraft(ctx, draft.id, (now) => {
    const at = place(now, key);
    return { questions: now.questions.map((q, i) => (i === at ? { ...question, key } : q)) };
  });
}

export async function removeQuestion(ctx: CoreContext, draft: Draft, key: string): Promise<Draft> {
  return changeDraft(ctx, draft.id, (now) => {
    const at = place(now, key);
    return { questions: now.questions.filter((_, i) => i !== at) };
  });
}

/** Moves a question to place `to` (1 is first); the others keep their order. */
export async function moveQuestion(ctx: CoreContext, draft: Draft, key: string, to: number): Promise<Draft> {
  return changeDraft(ctx, draft.id, (now) => {
    const at = place(now, key);
    if (to < 1 || to > now.questions.length) throw new WesaidError("invalid_input", builderText.noSuchPlace(now.questions.length));
    const others = now.questions.filter((_, i) => i !== at);
    return { questions: [...others.slice(0, to - 1), now.questions[at]!, ...others.slice(to - 1)] };
  });
}

/** A question as the form's fields, to fill the "Change" form in with what it says now. */
export function formValuesOf(q: KeyedQuestion): Record<string, string> {
  return {
    kind: q.kind,
    text: q.text,
    help: q.help ?? "",
    minLabel: q.kind === "scale" ? q.minLabel : "",
    maxLabel: q.kind === "scale" ? q.maxLabel : "",
    choices: q.kind === "single" || q.kind === "multi" ? q.options.join("\n") : "",
    required: q.required ? "yes" : "no",
  };
}
