import { button, buttons, facts, heading, message, note, para, type Block, type Input, type Message } from "../messages/model.ts";
import type { ValueRow } from "../suppression.ts";
import { codeButton } from "../coding/index.ts";
import type { Verdict, VerdictCounts } from "./rules.ts";

/** Every sentence of member checking: "Did we get this right?" */

export const QUESTION = "Did we get this right?";

export const VERDICT_WORDS: Record<Verdict, string> = { yes: "Yes", partly: "Partly", no: "No" };

export const checkText = {
  notFound: "Sorry, I could not find that check. It may have been deleted.",
  alreadySent: "This check has already been sent. Nothing was sent twice.",
  notSent: "Sorry, this check has not been sent yet, so it cannot be answered.",
  closed: (when: string) => `Sorry, this check closed on ${when}. Answers are no longer taken. Thank you for looking.`,
  badTime: (label: string) => `Sorry, I could not read "${label}". Please write it like 2026-03-20 17:00.`,
  closesInPast: "The closing date must be in the future. Please choose a later date, or leave it empty.",
  noneYet: "No checks have been sent yet. Type check new to write one.",
};

const whoSees =
  "The evaluation team sees how many people said yes, partly or no, by role only, never by name. " +
  "They only see your words if you agreed to be quoted.";

export function newCheckForm(p: { programmeId: string; timeZone: string }): Message {
  return message(
    "Check with people: did we get this right?",
    heading("Check with people: did we get this right?"),
    para("Write a short summary of what you have heard so far. You will see it before it is sent. Each person taking part gets it privately, with one question: did we get this right?"),
    {
      kind: "form",
      id: "membercheck-new",
      title: "New check",
      openLabel: "Write a summary",
      submitLabel: "Preview",
      submit: { action: "membercheck.create", args: { programmeId: p.programmeId } },
      inputs: [
        { kind: "text", id: "title", label: "Title", maxLength: 120 },
        { kind: "text", id: "summary", label: "What we heard, in plain words", multiline: true, maxLength: 2500 },
        { kind: "datetime", id: "closesAt", label: `Closing date (like 2026-03-20 17:00, ${p.timeZone} time)`, optional: true },
      ],
    },
  );
}

export function preview(p: { checkId: string; title: string; summary: string; closes?: string; people: number }): Message {
  return message(
    `Preview: ${p.title}`,
    heading(`Preview: ${p.title}`),
    para("This is what each person will see."),
    para(p.summary),
    facts([
      ["Question", QUESTION],
      ["Closes", p.closes ?? "No closing date"],
      ["Sent to", `${p.people} ${p.people === 1 ? "person" : "people"} taking part, privately`],
    ]),
    buttons(button("Send it", "membercheck.send", { checkId: p.checkId }, { style: "primary" })),
    note("To change it, type check new and write it again. Nothing is sent until you press Send it."),
  );
}

export function sent(p: { title: string; told: number; checkId: string }): Message {
  const words = `Sent "${p.title}" to ${p.told} ${p.told === 1 ? "person" : "people"}. Some may get it after their quiet hours.`;
  return message(words, para(words), buttons(button("See the answers", "membercheck.report", { checkId: p.checkId })));
}

function answerInputs(initial?: { verdict: string; comment: string }): Input[] {
  return [
    { kind: "single", id: "verdict", label: QUESTION, options: Object.entries(VERDICT_WORDS).map(([value, label]) => ({ value, label })), initial: initial?.verdict },
    { kind: "text", id: "comment", label: "Anything to add?", multiline: true, optional: true, maxLength: 2000, initial: initial?.comment || undefined },
  ];
}

function answerForm(checkId: string, initial?: { verdict: string; comment: string }): Block {
  return {
    kind: "form",
    id: "membercheck-answer",
    title: initial ? "Change your answer" : QUESTION,
    openLabel: initial ? "Change my answer" : "Answer",
    submitLabel: "Send",
    submit: { action: "membercheck.answer", args: { checkId } },
    inputs: answerInputs(initial),
  };
}

export function question(p: { checkId: string; title: string; summary: string; closes?: string }): Message {
  return message(
    `${QUESTION} ${p.title}`,
    heading(`${QUESTION} ${p.title}`),
    para("Here is what we have heard so far. Please tell us if we got it right."),
    para(p.summary),
    answerForm(p.checkId),
    note(`${whoSees}${p.closes ? ` You can answer until ${p.closes}.` : ""}`),
  );
}

export function answered(p: { checkId: string; title: string; verdict: Verdict; comment: string; closes?: string }): Message {
  return message(
    "Thank you. Your answer is saved.",
    heading("Thank you. Your answer is saved."),
    facts([
      ["Check", p.title],
      [QUESTION, VERDICT_WORDS[p.verdict]],
      ["What you added", p.comment || undefined],
    ]),
    answerForm(p.checkId, { verdict: p.verdict, comment: p.comment }),
    note(`You can change your answer${p.closes ? ` until ${p.closes}` : ""}.`),
  );
}

export type ReportQuote = { responseId: string; label: string; verdict: Verdict; text: string };

/** Words shown in one report message, each with its Code button (a chat message holds about 50 blocks). */
export const QUOTES_PER_MESSAGE = 15;

const countsLine = (c: VerdictCounts & { noReply: number }) => `Yes: ${c.yes}. Partly: ${c.partly}. No: ${c.no}. No reply: ${c.noReply}.`;

/** Each comment shown, by role only, with a Code button for those who code (the coding loop's own choice of codes). */
function quoteBlocks(quotes: ReportQuote[], canCode: boolean): Block[] {
  if (quotes.length === 0) return [para("No words to show.")];
  return quotes.flatMap((q) => [para(`${q.label} (${VERDICT_WORDS[q.verdict]}): "${q.text}"`), canCode ? codeButton("check", q.responseId) : null].filter((b): b is Block => b !== null));
}

export function report(p: {
  checkId: string;
  title: string;
  sentOn: string;
  closes?: string;
  rows: ValueRow<VerdictCounts & { noReply: number }>[];
  all: (VerdictCounts & { noReply: number }) | null;
  minGroupSize: number;
  quotes: ReportQuote[];
  notQuoted: number;
  offset: number;
  canCode: boolean;
}): Message {
  const page = p.quotes.slice(p.offset, p.offset + QUOTES_PER_MESSAGE);
  const shownTo = p.offset + page.length;
  return message(
    `Answers to: ${p.title}`,
    heading(`Answers to: ${p.title}`),
    facts([
      ["Sent", p.sentOn],
      ["Closes", p.closes ?? "No closing date"],
      ["Everyone", p.all ? countsLine(p.all) : `Fewer than ${p.minGroupSize} people were asked, so no figures are shown.`],
    ]),
    heading("By role"),
    para(p.rows.map((r) => (r.value ? `${r.label} (${r.people} asked): ${countsLine(r.value)}` : `${r.label}: fewer than ${p.minGroupSize} people, not shown.`)).join("\n") || "Nobody was asked."),
    heading("What people added"),
    ...quoteBlocks(page, p.canCode),
    p.quotes.length > QUOTES_PER_MESSAGE ? note(`These are comments ${p.offset + 1} to ${shownTo} of ${p.quotes.length}.`) : null,
    shownTo < p.quotes.length ? buttons(button("Show more", "membercheck.report", { checkId: p.checkId, offset: String(shownTo) })) : null,
    p.notQuoted ? note(`${p.notQuoted} ${p.notQuoted === 1 ? "person" : "people"} added words but did not agree to be quoted, so their words are not shown.`) : null,
    note(`People count as asked once the check reached them, while they still take part. Roles are shown only when every role has ${p.minGroupSize} or more people. Names are never shown.`),
  );
}

export function pick(p: { checks: { id: string; title: string; sentOn: string }[] }): Message {
  return message(
    "Which check?",
    heading("Which check?"),
    p.checks.length ? para("Choose one to see its answers.") : para(checkText.noneYet),
    ...p.checks.map((c) => buttons(button(`${c.title} (sent ${c.sentOn})`, "membercheck.report", { checkId: c.id }))),
  );
}

/** The "help" lines for this loop's command. */
export const commandHelp = {
  check: { usage: "check [new | answers]", summary: "Evaluators: send people a summary of what we heard and ask if we got it right, or see the answers." },
};
