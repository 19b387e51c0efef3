import { FRAMEWORKS, type Framework, type FrameworkItem } from "../frameworks.ts";
import { TERMS, type Term } from "./terms.ts";

/** Finding a word in the glossary: pure, no database. */

export type Entry =
  | { kind: "term"; term: Term }
  | { kind: "framework"; framework: Framework }
  | { kind: "framework_item"; framework: Framework; item: FrameworkItem };

export type Lookup = { found: Entry } | { found: null; asked: string; suggestions: string[] };

const QUESTION_WORDS = /^(?:is|are|does|do|a|an|the|mean|means|meant\s+by|by)\s+/;

/** What the person asked about: "is an ICB?" → "icb"; "'outputs'" → "outputs". */
export function normalise(text: string): string {
  let word = text
    .toLowerCase()
    .replace(/[’']s\b/, "")
    .replace(/[“”"‘’'?!.,:;()]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  let before;
  do {
    before = word;
    word = word.replace(QUESTION_WORDS, "").trim();
  } while (word !== before);
  word = word.replace(/\bmean(s)?$/, "").trim();
  return /^(?:is|are|does|a|an|the)$/.test(word) ? "" : word;
}

const key = (text: string) => normalise(text).replace(/[\s-]+/g, "");

function entries(): { names: string[]; entry: Entry; title: string }[] {
  return [
    ...TERMS.map((term) => ({ names: [term.term, ...(term.also ?? [])], entry: { kind: "term", term } as Entry, title: term.term })),
    ...FRAMEWORKS.map((framework) => ({ names: [framework.name, framework.id.replace(/_/g, " ")], entry: { kind: "framework", framework } as Entry, title: framework.name })),
    ...FRAMEWORKS.flatMap((framework) =>
      framework.items.map((item) => ({ names: [item.name], entry: { kind: "framework_item", framework, item } as Entry, title: item.name })),
    ),
  ];
}

/** Edit distance, for "did you mean" when a word is misspelt. */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/**
 * A plain glossary word wins over a framework step of the same name
 * ("Co-production" is both a word and the ladder's top rung): the word's
 * meaning is the one people asked for; the ladder is shown beside it.
 */
export function lookUp(text: string): Lookup {
  const asked = normalise(text);
  const wanted = key(asked);
  const all = entries();
  if (wanted) {
    for (const kind of ["term", "framework", "framework_item"] as const) {
      const hit = all.find((e) => e.entry.kind === kind && e.names.some((n) => key(n) === wanted));
      if (hit) return { found: hit.entry };
    }
  }
  const scored = all
    .map((e) => ({ title: e.title, score: Math.min(...e.names.map((n) => distance(key(n), wanted))) }))
    .filter((s) => wanted.length >= 3 && s.score <= Math.max(1, Math.floor(wanted.length / 4)))
    .sort((a, b) => a.score - b.score || a.title.localeCompare(b.title));
  const suggestions = [...new Set(scored.map((s) => s.title))].slice(0, 3);
  return { found: null, asked, suggestions };
}

/** The framework step with the same name as a word, if any (shown beside the word's meaning). */
export function alsoInFramework(term: Term): { framework: Framework; item: FrameworkItem } | undefined {
  for (const framework of FRAMEWORKS) {
    const item = framework.items.find((i) => key(i.name) === key(term.term));
    if (item) return { framework, item };
  }
  return undefined;
}
