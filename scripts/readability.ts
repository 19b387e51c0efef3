/**
 * Measures the plain English of every sentence in the message catalogue
 * (each loop's src/<loop>/catalogue.ts, and src/messages/catalogue/ for the
 * shared and platform sentences): words per sentence, Flesch-Kincaid grade, and
 * words from a jargon list. `npm run readability` prints the figures; the
 * test in test/core/plain-english.test.ts holds the line.
 *
 * NHS guidance aims at a reading age of about 9 (Flesch-Kincaid grade 4 to 5).
 * Formulas are rough on short interface text; they catch drift, not style.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

export const CATALOGUE_DIR = new URL("../src/messages/catalogue/", import.meta.url).pathname;
export const SRC_DIR = new URL("../src/", import.meta.url).pathname;

/** Words that the evaluations found people did not understand, or that plain-English guides say to avoid. */
export const JARGON = [
  "utilise", "utilize", "stakeholder", "deliverable", "outputs", "leverage", "synergy", "kpi", "ccg", "icb",
  "paradigm", "facilitate", "commence", "endeavour", "aforementioned", "herein", "pursuant", "workstream",
  "onboarding", "actioned", "cohort", "modality", "granular",
];

/** Prose from string and template literals: text with at least two words. Ids and keys are skipped. */
export function proseIn(source: string): string[] {
  const file = ts.createSourceFile("catalogue.ts", source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.push(node.text);
    else if (ts.isTemplateExpression(node)) found.push([node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(" X "));
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found.map((t) => t.trim()).filter((t) => /[A-Za-z]+\s+[A-Za-z]+/.test(t));
}

export function sentencesIn(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => /[A-Za-z]/.test(s));
}

const wordsIn = (sentence: string) => sentence.match(/[A-Za-z][A-Za-z'’-]*/g) ?? [];

export function syllables(word: string): number {
  const w = word.toLowerCase().replace(/[^a-z]/g, "");
  if (w.length <= 3) return 1;
  const groups = w.replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, "").replace(/^y/, "").match(/[aeiouy]{1,2}/g);
  return Math.max(1, groups?.length ?? 1);
}

export type FileReport = { file: string; sentences: number; wordsPerSentence: number; grade: number; longest: string; longestWords: number; jargon: string[] };

export function measure(file: string, source: string): FileReport {
  const sentences = proseIn(source).flatMap(sentencesIn);
  let words = 0;
  let syll = 0;
  let longest = "";
  let longestWords = 0;
  const jargon = new Set<string>();
  for (const sentence of sentences) {
    const ws = wordsIn(sentence);
    words += ws.length;
    syll += ws.reduce((n, w) => n + syllables(w), 0);
    if (ws.length > longestWords) {
      longestWords = ws.length;
      longest = sentence;
    }
    for (const w of ws) {
      const word = w.toLowerCase();
      const singular = word.replace(/s$/, "");
      if (JARGON.includes(word)) jargon.add(word);
      else if (JARGON.includes(singular)) jargon.add(singular);
    }
  }
  const wps = sentences.length ? words / sentences.length : 0;
  const spw = words ? syll / words : 0;
  return { file, sentences: sentences.length, wordsPerSentence: wps, grade: 0.39 * wps + 11.8 * spw - 15.59, longest, longestWords, jargon: [...jargon] };
}

/** Every catalogue file, named for its loop ("people.ts" for src/people/catalogue.ts). */
export function catalogueFiles(): { name: string; path: string }[] {
  const shared = readdirSync(CATALOGUE_DIR)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => ({ name: f, path: join(CATALOGUE_DIR, f) }));
  // A loop's catalogue may be split: catalogue.ts and <part>-catalogue.ts beside it (people/consent-catalogue.ts).
  const loops = readdirSync(SRC_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(SRC_DIR, d.name, "catalogue.ts")))
    .flatMap((d) =>
      readdirSync(join(SRC_DIR, d.name))
        .filter((f) => f === "catalogue.ts" || f.endsWith("-catalogue.ts"))
        .map((f) => ({ name: f === "catalogue.ts" ? `${d.name}.ts` : `${d.name}/${f}`, path: join(SRC_DIR, d.name, f) })),
    );
  return [...shared, ...loops].sort((a, b) => a.name.localeCompare(b.name));
}

export function measureCatalogue(): FileReport[] {
  return catalogueFiles().map((f) => measure(f.name, readFileSync(f.path, "utf8")));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const reports = measureCatalogue();
  console.log("file                 sentences  words/sentence  grade  longest sentence (words)");
  for (const r of reports) {
    console.log(`${r.file.padEnd(20)} ${String(r.sentences).padStart(9)} ${r.wordsPerSentence.toFixed(1).padStart(15)} ${r.grade.toFixed(1).padStart(6)}  ${r.longestWords}`);
    if (r.jargon.length) console.log(`  jargon: ${r.jargon.join(", ")}`);
  }
  const all = reports.reduce((a, r) => ({ s: a.s + r.sentences, w: a.w + r.wordsPerSentence * r.sentences }), { s: 0, w: 0 });
  console.log(`all: ${all.s} sentences, ${(all.w / all.s).toFixed(1)} words per sentence`);
}
