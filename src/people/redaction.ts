/**
 * Pure: finding and taking out the traces of an erased person in stored text
 * and JSON (messages in the outbox, digests, audit details, adapter state).
 *
 * - ids: their person id, platform ids and conversation addresses. Replaced by
 *   a random stand-in (one per erasure), so unique keys stay unique and a
 *   stored reference keeps its shape.
 * - names: their display name, as a whole word. Replaced by "someone who has left".
 * - words: every sentence they wrote. Replaced by a note that the words were
 *   removed at their request. A shortened copy ("The first words…") counts too.
 */
export type Traces = { ids: string[]; names: string[]; words: string[] };
export type Replacements = { id: string; name: string; words: string };

/** Words shorter than this are not searched for elsewhere: "yes" or "ok" are not anybody's. */
export const MIN_WORDS_LENGTH = 10;
/** A shortened copy is recognised when at least this much of the start is there. */
const MIN_PREFIX = 20;
const ELLIPSIS = "…";

/** A person's words as we search for them: the whole text, and each sentence or line in it. */
export function wordsOf(texts: readonly (string | null | undefined)[]): string[] {
  const found = new Set<string>();
  for (const raw of texts) {
    const text = raw?.trim();
    if (!text) continue;
    for (const piece of [text, ...text.split(/(?<=[.!?])\s+|\n+/)]) {
      const t = piece.trim();
      if (t.length >= MIN_WORDS_LENGTH) found.add(t);
    }
  }
  // Longest first, so a whole text goes before the sentences in it.
  return [...found].sort((a, b) => b.length - a.length);
}

/** Traces worth searching for: empty and very short ids and names left out, longest first. */
export function cleanTraces(t: Traces): Traces {
  const tidy = (list: string[], min: number) => [...new Set(list.map((s) => s.trim()).filter((s) => s.length >= min))].sort((a, b) => b.length - a.length);
  return { ids: tidy(t.ids, 3), names: tidy(t.names, 2), words: tidy(t.words, MIN_WORDS_LENGTH) };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function nameAsWord(name: string): RegExp {
  const start = /^\w/.test(name) ? "(?<![\\w])" : "";
  const end = /\w$/.test(name) ? "(?![\\w])" : "";
  return new RegExp(`${start}${escape(name)}${end}`, "g");
}

/** Replaces a shortened copy of `words` (its start, then "…") wherever it is. */
function replaceShortened(text: string, words: string, note: string): string {
  const head = words.slice(0, MIN_PREFIX);
  if (words.length <= MIN_PREFIX || !text.includes(ELLIPSIS)) return text;
  let from = 0;
  for (;;) {
    const at = text.indexOf(head, from);
    if (at < 0) return text;
    let n = head.length;
    while (n < words.length && text[at + n] === words[n]) n++;
    if (text[at + n] === ELLIPSIS) {
      text = text.slice(0, at) + note + text.slice(at + n + 1);
      from = at + note.length;
    } else {
      from = at + 1;
    }
  }
}

/** The text with every trace replaced. */
export function redactText(text: string, traces: Traces, r: Replacements): string {
  let out = text;
  for (const words of traces.words) {
    out = out.split(words).join(r.words);
    out = replaceShortened(out, words, r.words);
  }
  for (const id of traces.ids) out = out.split(id).join(r.id);
  for (const name of traces.names) out = out.replace(nameAsWord(name), r.name);
  return out;
}

/** Whether the text holds any trace. */
export function mentions(text: string, traces: Traces): boolean {
  return redactText(text, traces, { id: "\u0000", name: "\u0000", words: "\u0000" }) !== text;
}

/**
 * A quick first look: could this JSON value hold a trace? False means surely
 * not (it is read as JSON text once); true means redactJson will look closely.
 */
export function mayHold(value: unknown, traces: Traces): boolean {
  if (value === null || value === undefined) return false;
  const text = JSON.stringify(value);
  const inJson = (s: string) => JSON.stringify(s).slice(1, -1);
  return [...traces.ids, ...traces.names, ...traces.words.map((w) => w.slice(0, MIN_PREFIX))].some((t) => text.includes(inJson(t)));
}

/** Redacts every string (and object key) in a JSON value. `changed` says whether anything was found. */
export function redactJson<T>(value: T, traces: Traces, r: Replacements): { value: T; changed: boolean } {
  let changed = false;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") {
      const out = redactText(v, traces, r);
      if (out !== v) changed = true;
      return out;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) out[walk(k) as string] = walk(inner);
      return out;
    }
    return v;
  };
  const out = walk(value) as T;
  return { value: changed ? out : value, changed };
}

/** Keys under which a conversation address names a person or a conversation; a bot's own are left alone. */
const IDENTITY_KEYS = new Set(["id", "aadObjectId", "name", "userId", "user", "to"]);
const NOT_A_PERSON = new Set(["bot", "recipient", "serviceUrl", "tenant", "tenantId"]);

/**
 * Strings in a person's own conversation addresses that identify them: their
 * ids and names in it that no one else's address shares (a bot's id, a
 * server address or a tenant is shared, or not a person's, so it is kept).
 */
export function addressTraces(own: readonly unknown[], others: readonly unknown[]): string[] {
  const shared = new Set(others.flatMap((a) => identityLeaves(a)));
  return [...new Set(own.flatMap((a) => identityLeaves(a)))].filter((s) => !shared.has(s) && s.length >= 3);
}

function identityLeaves(value: unknown, key = ""): string[] {
  if (NOT_A_PERSON.has(key)) return [];
  if (typeof value === "string") return IDENTITY_KEYS.has(key) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => identityLeaves(v, key));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => identityLeaves(v, k));
  return [];
}
