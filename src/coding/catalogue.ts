import { button, buttons, heading, message, note, para, type Block, type Message } from "../messages/model.ts";

const KIND_WORDS = { answer: "answer", idea: "idea", debrief: "debrief", check: "check answer" } as const;
const rows = (n: number) => `${n} ${n === 1 ? "line" : "lines"}`;
const times = (n: number) => `${n} ${n === 1 ? "time" : "times"}`;

export function done(text: string): Message {
  return message(text, para(text));
}

export const codingText = {
  noLabel: "Give the code a name, for example: code add Feeling heard.",
  longLabel: "Keep the code's name to 80 letters or fewer.",
  noCode: (words: string) => `There is no code called "${words}". Type codes to see them all.`,
  taken: (label: string) => `There is already a code called "${label}".`,
  frameworkFixed: "Codes from a framework keep their names. Add a code of your own instead.",
  tooMany: (max: number) => `This code book already has ${max} codes in use. Retire one before you add another.`,
  retired: (label: string) => `"${label}" is retired. It stays on what it was given to, but cannot be given again.`,
  badKind: "Say what to code: answer, idea, debrief or check, then its id from an export.",
  noTarget: (kind: string) => `There is no ${kind} with that id in your programme. Copy the id from an export.`,
  wordsWithheld: "The words are not shown, because the person did not agree to be quoted or answered without their name.",
  unknownCodes: "Some of the codes chosen are not in this programme's code book.",
  added: (label: string, key: string) => `Added the code "${label}". Its short name in files is ${key}.`,
  renamed: (from: string, to: string) => `Renamed "${from}" to "${to}". Old files still show it under its short name.`,
  retiredNow: (label: string) => `Retired "${label}". What it was given to keeps it.`,
  saved: (kind: keyof typeof KIND_WORDS, n: number) =>
    n === 0 ? `This ${KIND_WORDS[kind]} has no codes now.` : `Saved. This ${KIND_WORDS[kind]} has ${n} ${n === 1 ? "code" : "codes"}.`,
};

export const importText = {
  notCsv: "This does not read as a CSV file. Check the commas and the quote marks.",
  empty: "There is nothing to import.",
  tooLong: (max: number) => `Import ${max} lines or fewer at a time.`,
  badHeader: "The first line should name the columns: kind, id and code.",
  badKind: (kind: string) => `"${kind}" is not something that can be coded. Use answer, idea, debrief or check.`,
  noId: "The id is missing.",
  noCode: "The code is missing.",
  noTarget: (kind: string, id: string) => `There is no ${kind} "${id}" in this programme.`,
  noCode2: (code: string) => `There is no code "${code}". Add it first with code add.`,
  retired: (code: string) => `The code "${code}" is retired.`,
  nothing: "Nothing was brought in. Please fix the lines listed and send the file again.",
  badBody: "Send the CSV as the body of the request, with the content type text/csv.",
  tooBig: "That file is too big. Send up to 1 MB at a time.",
};

export const commandHelp = {
  codes: { usage: "codes", summary: "See the code book: the codes for sorting what people said, and how often each is used." },
  code: {
    usage: "code <answer|idea|debrief|check> <id> | code add <name> | code rename <old> to <new> | code retire <name> | code import",
    summary: "Give codes to what people said, add your own codes, or bring in codes from a file.",
  },
};

export type CodeLine = { key: string; label: string; uses: number; retired: boolean };

/** The code book, with how often each code is used. */
export function codeBook(p: { programmeId: string; codes: CodeLine[] }): Message {
  const open = p.codes.filter((c) => !c.retired);
  const retired = p.codes.filter((c) => c.retired);
  const line = (c: CodeLine) => `${c.label} (${c.key}): used ${times(c.uses)}`;
  return message(
    "The code book",
    heading("The code book"),
    para("Codes sort what people said into themes. Give them with the Code button on an answer, or bring them in from a file."),
    ...chunks(open.map(line)),
    retired.length > 0 && heading("Retired codes"),
    ...chunks(retired.map(line)),
    buttons(button("Bring in codes from a file", "coding.import.open", { programmeId: p.programmeId })),
    note("Add your own with code add <name>. Rename with code rename <old> to <new>. Retire with code retire <name>."),
  );
}

function chunks(list: string[]): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < list.length; i += 25) out.push(para(list.slice(i, i + 25).join("\n")));
  return out;
}

/**
 * The Code button under one answer, idea, debrief or member-check comment, wherever it is shown (the
 * evaluators' answers view, a member check's report): it opens the one choice of codes (coding.pick).
 */
export function codeButton(kind: keyof typeof KIND_WORDS, id: string): Block {
  return buttons(button("Code", "coding.pick", { kind, id }));
}

/** The choice of codes for one answer, idea, debrief or member-check comment. */
export function pickCodes(p: { kind: keyof typeof KIND_WORDS; id: string; excerpt: string; withheld?: boolean; options: { value: string; label: string }[]; chosen: string[] }): Message {
  const what = KIND_WORDS[p.kind];
  return message(
    `Codes for this ${what}`,
    heading(`Codes for this ${what}`),
    p.excerpt ? para(`"${p.excerpt}"`) : null,
    p.withheld ? note(codingText.wordsWithheld) : null,
    {
      kind: "form",
      id: "coding",
      title: `Codes for this ${what}`,
      openLabel: "Choose codes",
      inputs: [{ kind: "multi", id: "codes", label: "Codes", options: p.options, optional: true, initial: p.chosen }],
      submitLabel: "Save codes",
      submit: { action: "coding.set", args: { kind: p.kind, id: p.id } },
    },
    note("Codes are seen by the evaluation team and in exports, never with a name."),
  );
}

/** The form for bringing in codes from a file. */
export function importForm(programmeId: string): Message {
  return message(
    "Bring in codes from a file",
    heading("Bring in codes from a file"),
    para("Paste a CSV with three columns: kind (answer, idea or debrief), id (from an export) and code (its short name or its name)."),
    {
      kind: "form",
      id: "coding-import",
      title: "Bring in codes",
      openLabel: "Paste codes",
      inputs: [{ kind: "text", id: "csv", label: "The CSV", multiline: true, maxLength: 100_000 }],
      submitLabel: "Bring them in",
      submit: { action: "coding.import", args: { programmeId } },
    },
    note("If any line has a problem, nothing is brought in, and you are told which lines to fix."),
  );
}

export function imported(p: { added: number; already: number; lines: number }): Message {
  return message(
    "Codes brought in",
    para(`Brought in ${rows(p.lines)}: ${p.added} new ${p.added === 1 ? "code" : "codes"} given${p.already ? `, ${p.already} given already` : ""}.`),
  );
}

export function importRefused(p: { problems: { line: number; problem: string }[]; shown: number }): Message {
  const more = p.problems.length - p.shown;
  return message(
    "Nothing was brought in",
    heading("Nothing was brought in"),
    para("Please fix these lines and try again:"),
    para(p.problems.slice(0, p.shown).map((e) => `Line ${e.line}: ${e.problem}`).join("\n")),
    more > 0 && note(`And ${more} more ${more === 1 ? "line" : "lines"} like these.`),
  );
}
