import { button, buttons, heading, message, note, para, type Block, type Message } from "../messages/model.ts";

/** The sentences about consent: the question, the answer, new consent words and the history in my-data. */

export const YES_NO = [
  { value: "yes", label: "Yes" },
  { value: "no", label: "No" },
];

export const consentInputs = (participation?: boolean | null, quotation?: boolean | null) => [
  { kind: "single" as const, id: "participation", label: "Can we store what you tell us, so the programme can use it?", options: YES_NO, initial: yesNo(participation) },
  { kind: "single" as const, id: "quotation", label: "Can the evaluation team quote your words, with your role only (no name)?", options: YES_NO, initial: yesNo(quotation) },
];
export const yesNo = (v?: boolean | null) => (v === null || v === undefined ? undefined : v ? "yes" : "no");

/** The answer that replaces the consent question (often the welcome): the support contacts stay in it. */
export function consentSaved(p: { participation: boolean; quotation: boolean; support?: Block[] }): Message {
  return message(
    "Your choices are saved",
    heading("Thank you. Your choices are saved."),
    para(
      p.participation
        ? "We will store what you tell us and send you short questions from time to time."
        : "We will not store anything you tell us, and we will not send you questions. You can change this at any time.",
    ),
    para(p.quotation ? "The evaluation team may quote your words with your role only." : "The evaluation team will not quote your words."),
    note("To change your choices later, type prefs."),
    ...(p.support ?? []),
  );
}

/** The consent question on its own: asked again when the words change, or when a person types consent. */
export function consentQuestion(p: { programmeName: string; programmeId: string; text: string; version: number; changed: boolean; participation?: boolean | null; quotation?: boolean | null }): Message {
  const title = p.changed ? `The words about what we keep have changed in ${p.programmeName}` : `What we keep in ${p.programmeName}`;
  return message(
    title,
    heading(title),
    para(p.text),
    p.changed ? para(consentText.untilYouAnswer) : null,
    {
      kind: "form",
      id: "consent",
      title: "Your choices",
      openLabel: "Make your choices",
      submitLabel: "Save my choices",
      submit: { action: "people.consent", args: { programmeId: p.programmeId, policyVersion: String(p.version) } },
      inputs: consentInputs(p.participation, p.quotation),
    },
    note(consentText.changeLater),
  );
}

export const consentText = {
  untilYouAnswer: "Please read them and answer again. Until you do, we will not send you anything else, and we will not store anything you send.",
  changeLater: "You can change your mind at any time. Type withdraw to stop taking part, or consent to see this again.",
  wordsChangedSinceAsked: "The words have changed since we asked you. Type consent to read the new words, then answer again.",
  withdrawn: (programme: string) =>
    `Done. You are no longer taking part in ${programme}. We will not store anything more you send, and we have stopped your messages. ` +
    "What you told us before stays. To delete it, type forget-me. To take part again, type consent.",
  alreadyOut: "You are not taking part at the moment, so there is nothing to stop. To take part, type consent.",
  answerAgain: "Answer the question again",
  wordsNow: (version: number, text: string) => `These are the words people agree to now (version ${version}):\n${text}`,
  wordsHowTo: "To change them, type consent-words followed by the new words. Everyone will be asked again.",
  wordsPreview: (members: number) =>
    `If you change the words, all ${members} people in the programme are asked again. Until each person answers, they get nothing else from this programme.`,
  wordsConfirm: "Yes, change the words",
  wordsSaved: (version: number, asked: number) => `The new words are saved as version ${version}. We have asked ${asked} people to read them and answer again.`,
  sameWords: "Those are the words people already agreed to, so nothing has changed.",
};

/** What an organiser sees before new consent words are saved. */
export function consentWordsPreview(p: { text: string; members: number; call: Record<string, string> }): Message {
  return message(
    "Change what people agree to?",
    heading("Change what people agree to?"),
    para(p.text),
    para(consentText.wordsPreview(p.members)),
    buttons(button(consentText.wordsConfirm, "programme.consent_words", p.call, { style: "danger" })),
  );
}

/** A line of a person's consent history, for my-data. */
export function consentHistoryLine(r: { when: string; programme: string; participation: boolean; quotation: boolean; version: number }): string {
  const store = r.participation ? "yes to us storing what you tell us" : "no to us storing what you tell us";
  const quote = r.quotation ? "yes to being quoted by role" : "no to being quoted";
  return `${r.when}, ${r.programme}: you said ${store}, and ${quote} (version ${r.version} of the words).`;
}

