import { button, buttons, heading, message, note, para, type Message } from "../messages/model.ts";
import type { Role } from "../roles.ts";
import type { FeedbackStatus } from "./rules.ts";
import { byRole, STATUS_WORDS } from "./catalogue.ts";

/** What people read in a channel post, when they follow an idea, and when they answer "does this answer what you said?". */

export const followText = {
  followed: (n: number) => `Thank you. Idea #${n} matters to you too. We will tell you what happens to it.`,
  alreadyFollowing: (n: number) => `You already follow idea #${n}. We will tell you what happens to it.`,
  ownIdea: (n: number) => `Idea #${n} is your own idea. We already tell you what happens to it.`,
  unfollowed: (n: number) => `You no longer follow idea #${n}. We will not tell you about it again.`,
  notFollowing: (n: number) => `You do not follow idea #${n}. Nothing was changed.`,
  followButton: "This matters to me too",
  unfollowButton: "Stop following this idea",
  manageHint: (n: number) => `Commissioners and facilitators: type idea #${n} to look after it.`,
};

/** A new idea as the programme's channel shows it: what it says, its status, and a way to follow it. No controls for managers. */
export function newIdeaPost(p: { number: number; text: string; role: Role; itemId: string; fromAnswer: boolean; status: FeedbackStatus }): Message {
  return message(
    `New idea #${p.number}`,
    heading(`New idea #${p.number}`),
    para(p.text),
    note(p.fromAnswer ? `From an answer given by ${byRole(p.role)}.` : `Raised by ${byRole(p.role)}.`),
    para(`Status: ${STATUS_WORDS[p.status]}.`),
    buttons(button(followText.followButton, "feedback.follow", { itemId: p.itemId }, { style: "primary" })),
    note(followText.manageHint(p.number)),
  );
}

export function followSaved(p: { number: number; itemId: string; line: string }): Message {
  return message(p.line, para(p.line), buttons(button(followText.unfollowButton, "feedback.unfollow", { itemId: p.itemId })));
}

/** To someone who follows an idea: its status changed. */
export function statusForFollower(p: { number: number; text: string; status: FeedbackStatus; reason?: string | null; itemId: string }): Message {
  const headline = `Idea #${p.number}, which matters to you, is now ${STATUS_WORDS[p.status]}.`;
  return message(
    headline,
    para(headline),
    para(`The idea: "${p.text}"`),
    p.reason ? para(`${p.status === "not_possible" ? "Why not" : "What the team said"}: ${p.reason}`) : null,
    buttons(button(followText.unfollowButton, "feedback.unfollow", { itemId: p.itemId })),
  );
}

/** To someone who follows ideas an update answers: what was done. */
export function updateForFollower(p: { updateText: string; items: { number: number; text: string; status: FeedbackStatus }[] }): Message {
  const first = p.items[0]!;
  const title = p.items.length === 1 ? `News about idea #${first.number}, which matters to you` : "News about ideas that matter to you";
  return message(
    title,
    heading(title),
    ...p.items.map((i) => para(`Idea #${i.number}: "${i.text}" It is now ${STATUS_WORDS[i.status]}.`)),
    para(`We did: ${p.updateText}`),
    note("You are told because you said this idea matters to you too."),
  );
}

const ANSWER_WORDS = { yes: "Yes", partly: "Partly", no: "No" } as const;

/** The question card once answered: the answer, a way to add a comment, and a way to change it. */
export function reactionAnswered(p: { number: number; answered: "yes" | "partly" | "no"; comment?: string | null; updateId: string; itemId: string; thanks: string }): Message {
  const args = { updateId: p.updateId, itemId: p.itemId };
  return message(
    `You said: ${ANSWER_WORDS[p.answered]}`,
    heading(`Idea #${p.number}: does this answer what you said?`),
    para(`You said: ${ANSWER_WORDS[p.answered]}`),
    p.comment ? para(`Your comment: "${p.comment}"`) : null,
    para(p.thanks),
    buttons(button("Change my answer", "feedback.react.again", args)),
    {
      kind: "form",
      id: `react-comment-${p.itemId}`,
      title: "Tell us more",
      openLabel: p.comment ? "Change my comment" : "Add a comment",
      submitLabel: "Send",
      submit: { action: "feedback.react", args: { ...args, answered: p.answered } },
      inputs: [{ kind: "text", id: "comment", label: "Anything you want to add?", multiline: true, optional: true, maxLength: 1000, initial: p.comment ?? undefined }],
    },
    note("The team sees your answer. The evaluation team sees your role only."),
  );
}
