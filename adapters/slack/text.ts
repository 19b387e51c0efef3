import type { PersonRef } from "../../src/interactions.ts";
import { marker, withoutMarkers, writeMentions } from "../mentions.ts";

/** Names of people known before translating (from users.info), by Slack user id. */
export type Names = ReadonlyMap<string, string>;

const PERSON_MARKUP = /<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g;

/**
 * Slack writes text with its own markup: &amp; &lt; &gt; for the three
 * special characters, <@U123> for people, <#C123|name> for channels and
 * <!here> for group mentions. The core gets plain words: each person becomes
 * readable words ("@Jo", or "@someone-1" when no name is known) and is listed,
 * in order, in `mentions`. wesaid's own mention is dropped.
 */
export function readSlackText(raw: string, options: { botUserId?: string; names?: Names } = {}): { text: string; mentions: PersonRef[] } {
  const found: { externalId: string; displayName?: string }[] = [];
  const marked = withoutMarkers(raw).replace(PERSON_MARKUP, (_m, id: string, name: string | undefined) => {
    if (id === options.botUserId) return " ";
    const displayName = options.names?.get(id) ?? (name ? decodeSlackEntities(name).trim() : undefined);
    found.push({ externalId: id, ...(displayName ? { displayName } : {}) });
    return marker(found.length - 1);
  });
  return writeMentions(plainSlackText(marked), found);
}

/** Slack text as plain words (people as readable words: see readSlackText). */
export function fromSlackText(raw: string): string {
  return readSlackText(raw).text;
}

/** The people a text mentions whose names it does not give: to look up before translating. */
export function unnamedMentionsIn(raw: string): string[] {
  return [...new Set([...raw.matchAll(PERSON_MARKUP)].filter((m) => !m[2]?.trim()).map((m) => m[1]!))];
}

function plainSlackText(text: string): string {
  return decodeSlackEntities(
    text
      .replace(/<#[A-Z0-9]+\|([^>]*)>/g, "#$1")
      .replace(/<#([A-Z0-9]+)>/g, "#$1")
      .replace(/<!subteam\^[A-Z0-9]+\|([^>]*)>/g, "$1")
      .replace(/<!(here|channel|everyone)(\|[^>]*)?>/g, "@$1")
      .replace(/<!date\^[^|>]*\|([^>]*)>/g, "$1")
      .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, (_m, url: string, label: string) => (url.replace(/^mailto:/, "") === label ? label : `${label} (${url})`))
      .replace(/<((?:https?|mailto):[^>]+)>/g, (_m, url: string) => url.replace(/^mailto:/, "")),
  );
}

function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

