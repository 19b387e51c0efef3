import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildAdapters } from "../../adapters/index.ts";
import type { Entry } from "../../adapters/local/messenger.ts";
import { startWesaid, type Wesaid } from "../../src/app.ts";
import { ManualClock, OffsetClock } from "../../src/clock.ts";
import { silentLogger } from "../../src/context.ts";
import { plainText, type Message } from "../../src/messages/model.ts";
import type { LocalAdapter } from "../../adapters/local/index.ts";
import { emptyDatabase } from "../support/databases.ts";

export const START = "2026-03-02T09:00:00Z"; // a Monday morning

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "wesaid-playground-"));
}

export type Place = "direct" | `channel:${string}`;

/**
 * The app as `npm start` runs it with no platform configured: the playground
 * on a random port, its own database, the scheduler off (tests skip time
 * through the playground's own control), and real time replaced by a fixed
 * start so quiet hours never depend on when the tests run.
 */
export async function startPlayground(dataDir = tempDir(), extraEnv: Record<string, string> = {}) {
  const base = new ManualClock(START);
  const clock = new OffsetClock(base);
  const app: Wesaid = await startWesaid({
    env: { PORT: "0", SCHEDULER: "off", LOG_LEVEL: "silent", DATA_DIR: dataDir, PLAYGROUND: "1", ...extraEnv },
    clock,
    log: silentLogger,
    buildAdapters,
  });
  return new PlaygroundClient(app, dataDir, base, clock);
}

export class PlaygroundClient {
  constructor(
    readonly app: Wesaid,
    readonly dataDir: string,
    readonly base: ManualClock,
    readonly clock: OffsetClock,
  ) {}

  get local(): LocalAdapter {
    return this.app.adapters.find((a) => a.platform === "local") as LocalAdapter;
  }

  /** Back to an empty playground at the start time, without restarting (a restart takes seconds). */
  async reset(): Promise<void> {
    await this.app.core.flush();
    await emptyDatabase(this.app.database);
    this.base.set(new Date(Date.parse(START) - this.clock.offset));
    await this.local.start!();
  }

  get url(): string {
    return this.app.url;
  }

  async get(path: string): Promise<{ status: number; body: any }> {
    const res = await fetch(this.url + path);
    return { status: res.status, body: await res.json().catch(() => null) };
  }

  async post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    const res = await fetch(this.url + path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json().catch(() => null) };
  }

  async view(persona: string, place: Place = "direct"): Promise<Entry[]> {
    const res = await this.get(`/playground/messages?persona=${persona}&place=${encodeURIComponent(place)}`);
    if (res.status !== 200) throw new Error(`messages: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.entries;
  }

  async say(persona: string, text: string, place: Place = "direct") {
    const where = place === "direct" ? { kind: "direct" } : { kind: "channel", channel: place.slice("channel:".length) };
    const res = await this.post("/playground/command", { persona, place: where, text });
    await this.app.core.flush();
    return res;
  }

  async press(persona: string, entry: Entry, label: string | RegExp) {
    const control = buttonIn(entry, label);
    const res = await this.post("/playground/action", { persona, messageId: entry.id, control: { kind: "button", ...control } });
    await this.app.core.flush();
    return res;
  }

  async submit(persona: string, entry: Entry, formId: string | undefined, values: Record<string, string | string[]>) {
    const block = formIn(entry, formId);
    const res = await this.post("/playground/action", { persona, messageId: entry.id, control: { kind: "form", block, values } });
    await this.app.core.flush();
    return res;
  }

  async skip(by: "hour" | "day" | "week") {
    return this.post("/playground/clock", { skip: by });
  }

  stop() {
    return this.app.stop();
  }
}

export const textOfEntry = (entry: Entry | undefined): string => (entry?.message ? plainText(entry.message) : (entry?.text ?? ""));

/** The newest entry whose text matches. */
export function latest(entries: Entry[], match: string | RegExp): Entry {
  const found = [...entries].reverse().find((e) => (typeof match === "string" ? textOfEntry(e).includes(match) : match.test(textOfEntry(e))));
  if (!found) throw new Error(`nothing matching ${match} in:\n${entries.map(textOfEntry).join("\n---\n")}`);
  return found;
}

export function buttonIn(entry: Entry, label: string | RegExp): { block: number; button: number } {
  const blocks = (entry.message as Message).blocks;
  for (let block = 0; block < blocks.length; block++) {
    const b = blocks[block]!;
    if (b.kind !== "buttons") continue;
    const button = b.buttons.findIndex((x) => (typeof label === "string" ? x.label.includes(label) : label.test(x.label)));
    if (button >= 0) return { block, button };
  }
  throw new Error(`no button ${label} in ${textOfEntry(entry)}`);
}

export function formIn(entry: Entry, formId?: string): number {
  const index = (entry.message as Message).blocks.findIndex((b) => b.kind === "form" && (formId === undefined || b.id === formId));
  if (index < 0) throw new Error(`no form ${formId ?? ""} in ${textOfEntry(entry)}`);
  return index;
}
