import { button, buttons, facts, heading, message, note, para, type Block, type Button, type Message } from "../messages/model.ts";
import { ROLE_LABELS, type Role } from "../roles.ts";
import type { CoOwnershipProblem, FeedbackStatus } from "./rules.ts";

/** How a status reads to people. */
export const STATUS_WORDS: Record<FeedbackStatus, string> = {
  received: "waiting to be looked at",
  considering: "being looked at",
  agreed: "agreed, and work is under way",
  done: "done",
  not_possible: "not possible",
};

/** "an Expert by experience", "a Commissioner": role-only attribution. */
export function byRole(role: Role): string {
  const label = ROLE_LABELS[role];
  return `${/^[AEIOU]/.test(label) ? "an" : "a"} ${label}`;
}

const numbers = (list: number[]) => list.map((n) => `#${n}`).join(", ");

export const feedbackText = {
  whichIdea: "Please say which idea you mean, with its number, like this: #12.",
  unknownIdea: (n: number) => `There is no idea #${n} in this programme. Type ideas to see the open ones.`,
  unknownIdeas: (list: number[]) =>
    `There is no idea ${numbers(list)} in this programme, so nothing was posted. Please check the numbers and try again.`,
  ideaClosed: (n: number, status: FeedbackStatus) => `Idea #${n} is already closed (${STATUS_WORDS[status]}). Nothing was changed.`,
  sameStatus: (n: number, status: FeedbackStatus) => `Idea #${n} is already ${STATUS_WORDS[status]}. Nothing was changed.`,
  moveNotAllowed: (n: number, from: FeedbackStatus, to: FeedbackStatus, allowed: readonly FeedbackStatus[]) =>
    `Idea #${n} is ${STATUS_WORDS[from]}, so it cannot be marked "${STATUS_WORDS[to]}" next. ` +
    (allowed.length ? `It can be marked: ${allowed.map((s) => `"${STATUS_WORDS[s]}"`).join(" or ")}.` : "It is closed."),
  reasonNeeded:
    "Please say in plain words why it is not possible. The person who raised the idea will read your reason.",
  changedMeanwhile: (n: number) => `Someone else changed idea #${n} just now. Please type idea #${n} to see it again.`,
  statusChanged: (n: number, status: FeedbackStatus, raiserTold: boolean) =>
    `Idea #${n} is now ${STATUS_WORDS[status]}.` + (raiserTold ? " We have told the person who raised it." : ""),
  dueNeeded: "Please say when an answer is due: a number of days (like 14), or a date.",
  dueInPast: "The due date has to be in the future.",
  ownerNotMember: "That person is not in this programme. Ask a facilitator to add them first.",
  ownerCannotManage: (name: string, roles: string[]) =>
    `${name} cannot look after ideas. Only people in these roles can: ${roles.join(", ")}.`,
  assigned: (n: number, who: string, due: string) => `${who} now looking after idea #${n}. An answer is due by ${due}.`,
  answerNotFound: "We could not find that answer. It may have been deleted.",
  answerWithoutRole:
    'This answer keeps no role, as only a few people with that role were asked. To keep it that way, please write the idea yourself with "suggest".',
  whichAnswer: "Please say which answer to turn into an idea.",
  answerHasNoWords: "That answer has no words in it. Please write the idea in your own words.",
  answerAlreadyAnIdea: (n: number) => `That answer is already idea #${n}.`,
  answerOtherProgramme: "That answer belongs to a programme you do not run.",
  ideaFromAnswer: (n: number, named: boolean) =>
    `That answer is now idea #${n}.` + (named ? " We have told the person who gave it." : " It was anonymous, so only the role is kept."),
  updatePosted: (list: number[], told: number, working: number[] = []) =>
    list.length
      ? `Your update is posted. It answers ${numbers(list)}. ` +
        (working.length ? `${numbers(working)} ${working.length === 1 ? "is" : "are"} still being worked on; the others are marked done. ` : `${list.length === 1 ? "It is" : "They are"} marked done. `) +
        `We have asked ${told} ${told === 1 ? "person" : "people"} who raised them whether it answers what they said.`
      : "Your update is posted.",
  reopenedReason: (answered: "partly" | "no") =>
    answered === "partly" ? "The person who raised it said the update only partly answered it." : "The person who raised it said the update did not answer it.",
  updateNeedsWords: "Please write what you did, like this: update #3 #7 We have moved the panel to evenings.",
  notYourIdea: "Only the person who raised this idea can answer this question.",
  reactionSaved: (answered: "yes" | "partly" | "no") =>
    answered === "yes"
      ? "Thank you. We are glad it answers what you said."
      : answered === "partly"
        ? "Thank you for telling us. The team will see that it only partly answers what you said."
        : "Thank you for telling us. The team will see that it does not answer what you said.",
  ownersNeeded: "Please say who will do it with you, like this: together Rewrite the leaflet with @Jo.",
  writerNotTakingPart: "We have not made this an idea. The person who wrote it has not said yes to taking part now, so we cannot use their words.",
  ownersNotTakingPart: (names: string[]) =>
    `We have not stored this action. ${names.join(", ")} ${names.length === 1 ? "has" : "have"} not said yes to taking part, so we cannot name them on it.`,
  ownerUnknown: (who: string) => `${who} is not in this programme. Ask a facilitator to add them first.`,
  notJoint: (problem: CoOwnershipProblem) =>
    "'We said, we did' means people with lived experience and professionals own it together. " +
    (problem === "needs_lived_experience"
      ? "Please add at least one expert by experience."
      : "Please add at least one professional, commissioner or facilitator."),
  actionCreated: (title: string, count: number) =>
    `"${title}" is set up, owned by ${count} people together. We have told each of them.`,
  actionNotFound: "We could not find that action. It may have been deleted.",
  actionNotOwner: "Only the people who own this action can change it.",
  actionClosed: (status: string) => `This action is already ${status === "done" ? "done" : "dropped"}. Nothing was changed.`,
  actionDone: (title: string, raiserTold: boolean) =>
    `"${title}" is marked as done. Well done.` + (raiserTold ? " We have told the person who raised the idea." : ""),
  actionDropped: (title: string) => `"${title}" is dropped. Nothing else has changed.`,
};

// ------------------------------------------------------------------ buttons and forms for the people who manage ideas

const STATUS_BUTTON_LABELS: Partial<Record<FeedbackStatus, string>> = {
  considering: "We are looking at it",
  agreed: "We agree to do it",
  done: "It is done",
};

const DUE_OPTIONS = [
  { value: "7", label: "In 1 week" },
  { value: "14", label: "In 2 weeks" },
  { value: "28", label: "In 4 weeks" },
];

function takeOnForm(itemId: string): Block {
  return {
    kind: "form",
    id: `take-${itemId}`,
    title: "Look after this idea",
    openLabel: "I will look after this",
    submitLabel: "Save",
    submit: { action: "feedback.assign", args: { itemId, ownerExternalId: "me" } },
    inputs: [{ kind: "single", id: "dueInDays", label: "When will you give an answer?", options: DUE_OPTIONS, initial: "14" }],
  };
}

function updateForm(itemId: string, number: number): Block {
  return {
    kind: "form",
    id: `update-${itemId}`,
    title: `Say what was done about idea #${number}`,
    openLabel: "Post an update",
    submitLabel: "Post",
    submit: { action: "feedback.post_update", args: { itemId } },
    inputs: [
      { kind: "text", id: "text", label: "What did you do? Everyone in the programme will see this.", multiline: true, maxLength: 2000 },
      {
        kind: "single",
        id: "outcome",
        label: "Is the idea done?",
        options: [
          { value: "done", label: "Yes, it is done" },
          { value: "working", label: "We are still working on it" },
        ],
        initial: "done",
      },
    ],
  };
}

function notPossibleForm(itemId: string): Block {
  return {
    kind: "form",
    id: `not-possible-${itemId}`,
    title: "Say it is not possible",
    openLabel: "It is not possible",
    submitLabel: "Send",
    submit: { action: "feedback.status", args: { itemId, status: "not_possible" } },
    inputs: [{ kind: "text", id: "reason", label: "Why not? Use plain words: the person who raised it will read this.", multiline: true, maxLength: 1000 }],
  };
}

/** The controls for an item's next steps, built from the allowed moves. */
export function manageBlocks(p: { itemId: string; number?: number; next: readonly FeedbackStatus[]; owned: boolean }): Block[] {
  const statusButtons: Button[] = p.next
    .filter((s) => STATUS_BUTTON_LABELS[s])
    .map((s) => button(STATUS_BUTTON_LABELS[s]!, "feedback.status", { itemId: p.itemId, status: s }));
  const blocks: Block[] = [];
  if (statusButtons.length) blocks.push(buttons(...statusButtons));
  if (!p.owned && p.next.length) blocks.push(takeOnForm(p.itemId));
  if (p.number !== undefined && p.next.length) blocks.push(updateForm(p.itemId, p.number));
  if (p.next.includes("not_possible")) blocks.push(notPossibleForm(p.itemId));
  return blocks;
}

// ------------------------------------------------------------------ suggestions

export function suggestionThanks(p: { number: number }): Message {
  const text = `Thank you. Your idea is #${p.number}. We will tell you what happens to it.`;
  return message(text, para(text), note("To see your ideas and what is happening to them, type ideas."));
}

export function newIdeaNotice(p: { number: number; text: string; role: Role; itemId: string; fromAnswer: boolean; next: readonly FeedbackStatus[] }): Message {
  return message(
    `New idea #${p.number}`,
    heading(`New idea #${p.number}`),
    para(p.text),
    note(p.fromAnswer ? `From an answer given by ${byRole(p.role)}.` : `Raised by ${byRole(p.role)}.`),
    ...manageBlocks({ itemId: p.itemId, next: p.next, owned: false }),
  );
}

export function answerBecameIdea(p: { number: number; text: string }): Message {
  return message(
    `Something you said is now idea #${p.number}`,
    heading(`Something you said is now idea #${p.number}`),
    para(`"${p.text}"`),
    para("The team will look at it. We will tell you what happens to it."),
  );
}

export function statusForRaiser(p: { number: number; text: string; status: FeedbackStatus; reason?: string | null }): Message {
  const headline: Record<FeedbackStatus, string> = {
    received: `We have your idea #${p.number}.`,
    considering: `Your idea #${p.number} is now being looked at.`,
    agreed: `Good news: your idea #${p.number} has been agreed. Work on it is starting.`,
    done: `Your idea #${p.number} is done.`,
    not_possible: `We are sorry. Your idea #${p.number} cannot go ahead.`,
  };
  return message(
    headline[p.status],
    para(headline[p.status]),
    para(`You said: "${p.text}"`),
    p.reason ? para(`${p.status === "not_possible" ? "Why not" : "What the team said"}: ${p.reason}`) : null,
    note("Type ideas to see all your ideas."),
  );
}

export function ownerAssigned(p: { number: number; text: string; due: string; itemId: string; next: readonly FeedbackStatus[] }): Message {
  return message(
    `You are looking after idea #${p.number}`,
    heading(`You are looking after idea #${p.number}`),
    para(`"${p.text}"`),
    facts([["Answer due by", p.due]]),
    ...manageBlocks({ itemId: p.itemId, number: p.number, next: p.next, owned: true }),
    note("When you have done something about it, post an update: type update, then the idea number, then what you did."),
  );
}

export function ownerNudge(p: { number: number; text: string; due: string; status: FeedbackStatus; itemId: string; next: readonly FeedbackStatus[] }): Message {
  return message(
    `Idea #${p.number} is waiting for an answer`,
    heading(`Idea #${p.number} is waiting for an answer`),
    para(`"${p.text}"`),
    facts([
      ["Answer was due by", p.due],
      ["It is now", STATUS_WORDS[p.status]],
    ]),
    para("The person who raised it is waiting to hear. Please move it on, or post an update."),
    ...manageBlocks({ itemId: p.itemId, number: p.number, next: p.next, owned: true }),
  );
}

export function unownedNudge(p: { number: number; text: string; days: number; itemId: string; next: readonly FeedbackStatus[] }): Message {
  return message(
    `Nobody is looking after idea #${p.number}`,
    heading(`Nobody is looking after idea #${p.number}`),
    para(`"${p.text}"`),
    para(`It was raised more than ${p.days} days ago and nobody has taken it on yet.`),
    ...manageBlocks({ itemId: p.itemId, next: p.next, owned: false }),
  );
}

// ------------------------------------------------------------------ "we did" updates

/** What an update says about each idea it answers. */
const afterUpdate = (status: FeedbackStatus) => (status === "done" ? "Done." : status === "agreed" ? "We are still working on it." : `It is ${STATUS_WORDS[status]}.`);

export function updatePost(p: { text: string; role: Role; items: { number: number; text: string; status: FeedbackStatus }[] }): Message {
  return message(
    `We did: ${p.text}`,
    heading("You said, we did"),
    ...p.items.map((i) => para(`You said (#${i.number}): "${i.text}" ${afterUpdate(i.status)}`)),
    para(`We did: ${p.text}`),
    note(`Posted by ${byRole(p.role)}.`),
  );
}

export function updateForRaiser(p: { number: number; itemText: string; updateText: string; updateId: string; itemId: string; status: FeedbackStatus }): Message {
  const args = { updateId: p.updateId, itemId: p.itemId };
  return message(
    `News about your idea #${p.number}`,
    heading(`News about your idea #${p.number}`),
    para(`You said: "${p.itemText}"`),
    para(`We did: ${p.updateText}`),
    para(p.status === "done" ? "Your idea is now marked done." : `Your idea is ${STATUS_WORDS[p.status]}.`),
    para("Does this answer what you said?"),
    buttons(
      button("Yes, it answers what I said", "feedback.react", { ...args, answered: "yes" }, { style: "primary" }),
      button("Partly", "feedback.react", { ...args, answered: "partly" }),
      button("No", "feedback.react", { ...args, answered: "no" }),
    ),
    note("After you answer, you can add a comment or change your answer."),
    note("The team sees your answer. The evaluation team sees your role only."),
  );
}

/** To the owner and the facilitators: the person who raised an idea said an update did not fully answer it. */
export function notAnsweredNotice(p: {
  number: number;
  itemText: string;
  updateText: string;
  answered: "partly" | "no";
  comment: string | null;
  role: Role;
  reopened: boolean;
  itemId: string;
  status: FeedbackStatus;
  next: readonly FeedbackStatus[];
}): Message {
  const title = p.answered === "partly" ? `Idea #${p.number}: the update only partly answered it` : `Idea #${p.number}: the update did not answer it`;
  return message(
    title,
    heading(title),
    para(`${capitalise(byRole(p.role))} raised this idea: "${p.itemText}"`),
    para(`The update said: ${p.updateText}`),
    para(p.answered === "partly" ? "They said it only partly answers what they said." : "They said it does not answer what they said."),
    p.comment ? para(`Their comment: "${p.comment}"`) : para("They did not add a comment."),
    para(p.reopened ? "So the idea is open again, with work under way." : `The idea is ${STATUS_WORDS[p.status]}.`),
    ...manageBlocks({ itemId: p.itemId, number: p.number, next: p.next, owned: true }),
    note("Only the role of the person who raised it is shown here."),
  );
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export function reactionSaved(p: { answered: "yes" | "partly" | "no" }): Message {
  const text = feedbackText.reactionSaved(p.answered);
  return message(text, para(text));
}

// ------------------------------------------------------------------ "we said, we did": actions owned together

export * from "./together-catalogue.ts";
export * from "./follow-catalogue.ts";

// ------------------------------------------------------------------ listing

export type IdeaLine = { number: number; text: string; status: FeedbackStatus };
export type OpenIdeaLine = IdeaLine & { role: Role; owner?: string; due?: string; overdue: boolean };

const shorten = (text: string, max = 120) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function ideasList(p: { programmeName: string; mine: IdeaLine[]; open?: OpenIdeaLine[] }): Message {
  const blocks: Block[] = [heading(`Ideas in ${p.programmeName}`)];
  blocks.push(para(p.mine.length ? "Your ideas:" : "You have not raised any ideas yet. Type suggest followed by your idea."));
  for (const i of p.mine) blocks.push(para(`• #${i.number} ${shorten(i.text)}: ${STATUS_WORDS[i.status]}`));
  if (p.open) {
    blocks.push(para(p.open.length ? "Open ideas:" : "There are no open ideas."));
    for (const i of p.open) {
      const owner = i.owner ? `looked after by ${i.owner}${i.due ? `, due ${i.due}` : ""}` : "nobody looking after it yet";
      blocks.push(para(`• #${i.number} ${shorten(i.text)} (from ${byRole(i.role)}): ${STATUS_WORDS[i.status]}, ${owner}${i.overdue ? ". OVERDUE" : ""}`));
    }
    blocks.push(note("Type idea followed by a number, like idea #12, to act on one."));
  }
  return message(`Ideas in ${p.programmeName}`, ...blocks);
}

export function ideaDetail(p: {
  number: number;
  text: string;
  status: FeedbackStatus;
  role: Role;
  owner?: string;
  due?: string;
  overdue: boolean;
  reason?: string | null;
  manage?: { itemId: string; next: readonly FeedbackStatus[]; owned: boolean };
}): Message {
  return message(
    `Idea #${p.number}`,
    heading(`Idea #${p.number}`),
    para(p.text),
    facts([
      ["Raised by", byRole(p.role)],
      ["Status", STATUS_WORDS[p.status]],
      ["Reason", p.reason ?? undefined],
      ["Looked after by", p.owner],
      ["Answer due by", p.due ? `${p.due}${p.overdue ? " (overdue)" : ""}` : undefined],
    ]),
    ...(p.manage ? manageBlocks({ ...p.manage, number: p.number }) : []),
  );
}

export function done(text: string): Message {
  return message(text, para(text));
}
