/**
 * What an inbound payload may carry into the core: text without NUL characters
 * (PostgreSQL refuses them, so a message would fail to store) or lone surrogates
 * (not text at all; shown as "\uFFFD"), and objects without keys that reach
 * prototypes (`__proto__`, `constructor`, `prototype`). Applied once, before the
 * Interaction is parsed, so every loop gets clean input.
 */
const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const MAX_DEPTH = 32;

export function cleanInput(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return value.replace(/\u0000/g, "").replace(LONE_SURROGATE, "\uFFFD");
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return undefined;
  if (Array.isArray(value)) return value.map((item) => cleanInput(item, depth + 1));
  const clean: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (UNSAFE_KEYS.has(key)) continue;
    clean[cleanInput(key) as string] = cleanInput(item, depth + 1);
  }
  return clean;
}
