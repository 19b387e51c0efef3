/**
 * Platform-neutral messages. The core builds these; adapters render them
 * (Block Kit in adapters/slack, Adaptive Cards in adapters/teams, HTML in
 * adapters/local). Everything is plain JSON so it can sit in the outbox.
 */

import { pickerText } from "./catalogue/platforms.ts";

/**
 * What pressing a button or sending a form asks the core to do: an action id
 * routed by the core (e.g. "taster.signup") and the ids it needs, as strings.
 */
export type ActionCall = {
  action: string;
  args: Record<string, string>;
  /** People the call is about, by field (kept when a command is asked again, e.g. after "which programme?"). */
  people?: Record<string, { externalId: string; displayName?: string }[]>;
};

export type Button = {
  label: string;
  call: ActionCall;
  style?: "primary" | "danger";
  /** Plain-English confirmation asked before a destructive action. */
  confirm?: string;
};

export type ChoiceOption = { value: string; label: string };

export type Input =
  | { kind: "text"; id: string; label: string; multiline?: boolean; optional?: boolean; initial?: string; placeholder?: string; maxLength?: number }
  | { kind: "scale"; id: string; label: string; min: number; max: number; minLabel?: string; maxLabel?: string; optional?: boolean; initial?: number }
  | { kind: "single"; id: string; label: string; options: ChoiceOption[]; optional?: boolean; initial?: string }
  | { kind: "multi"; id: string; label: string; options: ChoiceOption[]; optional?: boolean; initial?: string[] }
  | { kind: "datetime"; id: string; label: string; optional?: boolean; initial?: string }
  /**
   * Choose people from the platform's own directory (chat text boxes cannot
   * hold @mentions). Several people unless `multiple` is false. The people
   * chosen are not text in args: they arrive in the action input's
   * `people[<input id>]` as PersonRefs (src/interactions.ts).
   */
  | { kind: "people"; id: string; label: string; optional?: boolean; multiple?: boolean };

export type PeopleInput = Extract<Input, { kind: "people" }>;

/** Whether a people picker lets you choose more than one person (it does unless told otherwise). */
export const choosesMany = (input: PeopleInput): boolean => input.multiple !== false;

/**
 * @deprecated The old text form of chosen people ("<@U1> <@U2>"). Adapters now
 * send chosen people in `people`; nothing in src/ or adapters/ uses this. Kept
 * only for test/core/model.test.ts: delete both together.
 */
export const mentionsOf = (externalIds: readonly string[]): string =>
  externalIds
    .map((id) => id.trim())
    .filter(Boolean)
    .map((id) => `<@${id}>`)
    .join(" ");

export type Block =
  | { kind: "heading"; text: string }
  | { kind: "text"; text: string }
  /** Label/value pairs, e.g. When / Where / Places left. */
  | { kind: "facts"; facts: { label: string; value: string }[] }
  /** Small print: who sees this, how to change it. */
  | { kind: "note"; text: string }
  | { kind: "divider" }
  | { kind: "buttons"; buttons: Button[] }
  /**
   * A form. Platforms that can show inputs inline do so; Slack opens it in a
   * modal from a button labelled `openLabel`. Sending it calls `submit` with
   * the input values added to its args (multi-choice values joined by "\n");
   * people chosen in people pickers go in the call's `people`, by input id.
   */
  | { kind: "form"; id: string; title: string; openLabel: string; inputs: Input[]; submitLabel: string; submit: ActionCall }
  /** A file offered for download, such as a calendar invite. */
  | { kind: "file"; filename: string; mimeType: string; content: string; label: string }
  /**
   * A picture, such as a digest chart: a PNG as base64 (keep it to tens of
   * kilobytes: it sits in the outbox). `alt` says everything the picture shows.
   * `url`, when there is one, serves the same PNG over HTTPS (a signed link),
   * for platforms whose messages are too small to carry the picture itself.
   */
  | { kind: "image"; png: string; alt: string; title: string; url?: string }
  /** A web address to open, such as the digest's signed web page. */
  | { kind: "link"; url: string; label: string };

export type Message = {
  /** A one-line summary for notifications and screen readers. */
  summary: string;
  blocks: Block[];
};

export function message(summary: string, ...blocks: (Block | false | undefined | null)[]): Message {
  return { summary, blocks: blocks.filter((b): b is Block => Boolean(b)) };
}

export const heading = (text: string): Block => ({ kind: "heading", text });
export const para = (text: string): Block => ({ kind: "text", text });
export const note = (text: string): Block => ({ kind: "note", text });
export const facts = (pairs: [string, string | undefined | null][]): Block => ({
  kind: "facts",
  facts: pairs.filter((p): p is [string, string] => Boolean(p[1])).map(([label, value]) => ({ label, value })),
});
export const buttons = (...list: (Button | false | undefined | null)[]): Block => ({
  kind: "buttons",
  buttons: list.filter((b): b is Button => Boolean(b)),
});
export const button = (label: string, action: string, args: Record<string, string> = {}, extra: Partial<Button> = {}): Button => ({
  label,
  call: { action, args },
  ...extra,
});

/** What a person reads of an input: its label, and for a people picker what it asks for. */
function inputText(input: Input): string {
  if (input.kind !== "people") return input.label;
  return `${input.label} [${choosesMany(input) ? pickerText.choosePeople : pickerText.choosePerson}]`;
}

/** All the text a person would read in a message, for readability checks and the playground. */
export function plainText(msg: Message): string {
  const lines: string[] = [msg.summary];
  for (const block of msg.blocks) {
    switch (block.kind) {
      case "heading":
      case "text":
      case "note":
        lines.push(block.text);
        break;
      case "facts":
        for (const f of block.facts) lines.push(`${f.label}: ${f.value}`);
        break;
      case "buttons":
        lines.push(block.buttons.map((b) => `[${b.label}]`).join(" "));
        break;
      case "form":
        lines.push(block.title, ...block.inputs.map(inputText), `[${block.submitLabel}]`);
        break;
      case "file":
        lines.push(`[${block.label}]`);
        break;
      case "image":
        lines.push(block.title, block.alt);
        break;
      case "link":
        lines.push(`[${block.label}]`);
        break;
      case "divider":
        break;
    }
  }
  return lines.join("\n");
}
