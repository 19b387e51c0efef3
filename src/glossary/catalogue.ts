import { buttons, button, heading, message, note, para, type Message } from "../messages/model.ts";
import type { Framework, FrameworkItem } from "../frameworks.ts";
import type { Term } from "./terms.ts";

/** What people read when they ask what a word means. */

export const commandHelp = {
  whatIs: { usage: "what is <word>", summary: "Find out what a word means, in plain English." },
  glossary: { usage: "glossary", summary: "See the words we can explain." },
};

export const glossaryText = {
  ask: "Type what is, then the word. For example: what is outcomes",
  whichWord: "Which word would you like explained? Type what is, then the word.",
  notFound: (word: string) => `Sorry, we do not have "${word}" in our list of words yet.`,
  didYouMean: "Did you mean one of these?",
  askSomeone: "You can also ask your facilitator. It is always fine to ask what a word means.",
  stepOf: (framework: string, source: string) => `This is one step of the ${framework}, from the ${source}.`,
  frameworkFrom: (source: string) => `From the ${source}.`,
  wordsTitle: "Words we can explain",
  words: "Words",
  seeAll: "See all the words",
};

export function termView(term: Term, framework?: { framework: Framework; item: FrameworkItem }): Message {
  return message(
    `${term.term}: ${term.meaning}`,
    heading(term.term),
    para(term.meaning),
    framework && para(`${glossaryText.stepOf(framework.framework.name, framework.framework.source)} ${framework.item.meaning}`),
    buttons(button(glossaryText.seeAll, "glossary.list")),
  );
}

export function frameworkView(framework: Framework, highlight?: FrameworkItem): Message {
  return message(
    highlight ? `${highlight.name}: ${highlight.meaning}` : `${framework.name}: ${framework.about}`,
    heading(highlight ? highlight.name : framework.name),
    highlight && para(highlight.meaning),
    highlight && note(glossaryText.stepOf(framework.name, framework.source)),
    !highlight && para(framework.about),
    !highlight && note(glossaryText.frameworkFrom(framework.source)),
    ...(highlight ? [heading(framework.name), para(framework.about)] : []),
    para(framework.items.map((i) => `${i.name}: ${i.meaning}`).join("\n")),
    buttons(button(glossaryText.seeAll, "glossary.list")),
  );
}

export function notFoundView(word: string, suggestions: string[]): Message {
  const text = word ? glossaryText.notFound(word) : glossaryText.whichWord;
  return message(
    text,
    para(text),
    suggestions.length > 0 && para(glossaryText.didYouMean),
    suggestions.length > 0 && buttons(...suggestions.map((s) => button(s, "glossary.explain", { word: s }))),
    note(glossaryText.askSomeone),
    buttons(button(glossaryText.seeAll, "glossary.list")),
  );
}

export function listView(terms: readonly Term[], frameworks: readonly Framework[]): Message {
  return message(
    glossaryText.wordsTitle,
    heading(glossaryText.wordsTitle),
    para(`${glossaryText.words}: ${terms.map((t) => t.term).join(", ")}`),
    ...frameworks.map((f) => para(`${f.name}: ${f.items.map((i) => i.name).join(", ")}`)),
    note(glossaryText.ask),
  );
}
