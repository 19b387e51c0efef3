import type { PersonRef } from "../src/interactions.ts";

/** As many mentions as one command may carry (src/interactions.ts). */
export const MAX_MENTIONS = 50;

/**
 * The people named in one command, in the order they appear, each with the
 * words that stand for them in the text the core reads: "@Jo Bloggs" when the
 * platform told us the name, "@someone-1" when it did not. Never platform
 * markup. The words are unique per person and do not already occur in the
 * rest of the text, so the core can find each mention by its words.
 */
export class MentionWords {
  readonly mentions: PersonRef[] = [];
  private readonly wordsOf = new Map<string, string>();
  private readonly taken = new Set<string>();

  /** `rest` is the command text without any mention in it: words that occur there are not used. */
  constructor(private readonly rest = "") {}

  /** Records a mention and returns the words to write for it. */
  add(externalId: string, displayName?: string): string {
    const name = displayName?.replace(/[\s<>]+/g, " ").trim().slice(0, 200) || undefined;
    let words = this.wordsOf.get(externalId);
    if (words === undefined) {
      words = this.fresh(name);
      this.wordsOf.set(externalId, words);
      this.taken.add(words);
    }
    // The core takes at most MAX_MENTIONS; past that a person stays words in the text only.
    if (this.mentions.length < MAX_MENTIONS) this.mentions.push({ externalId, ...(name ? { displayName: name } : {}), shownAs: words });
    return words;
  }

  private fresh(name: string | undefined): string {
    if (name && this.free(`@${name}`)) return `@${name}`;
    for (let n = name ? 2 : 1; ; n++) {
      const words = name ? `@${name} (${n})` : `@someone-${n}`;
      if (this.free(words)) return words;
    }
  }

  private free(words: string): boolean {
    return !this.taken.has(words) && !this.rest.toLowerCase().includes(words.toLowerCase());
  }
}

/**
 * Fills in markers left in text: `\u0000<n>\u0001` stands for the n-th person
 * found. Returns the text with each marker replaced by the person's words, and
 * the mentions in the order they appear.
 */
export function writeMentions(marked: string, found: readonly { externalId: string; displayName?: string }[]): { text: string; mentions: PersonRef[] } {
  const words = new MentionWords(marked.replace(MARKER, " "));
  const text = marked.replace(MARKER, (_m, n: string) => {
    const person = found[Number(n)];
    return person ? words.add(person.externalId, person.displayName) : " ";
  });
  return { text, mentions: words.mentions };
}

/** A marker for the n-th person found (see writeMentions). Control characters never survive from input: callers strip them first. */
export const marker = (n: number): string => `\u0000${n}\u0001`;
const MARKER = /\u0000(\d+)\u0001/g;

/** Removes the two control characters the markers use. */
export const withoutMarkers = (text: string): string => text.replace(/[\u0000\u0001]/g, "");
