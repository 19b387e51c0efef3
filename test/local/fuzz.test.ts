import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildAdapters } from "../../adapters/index.ts";
import { CHANNELS, PERSONAS } from "../../adapters/local/personas.ts";
import { startWesaid } from "../../src/app.ts";
import { ManualClock, OffsetClock } from "../../src/clock.ts";
import { changedTables, fuzzParams, fuzzTimeout, hostileJsonText, hostileKey, hostileString, hostileValue, snapshots, stringish, trialFor, watchProcess, watchReplies } from "../support/fuzz.ts";
import { ErrorLog } from "../slack/harness.ts";
import { PlaygroundClient, START, tempDir } from "./playground.ts";

/**
 * Property-based fuzzing of the playground's HTTP API (adapters/local/api.ts)
 * as `npm start` serves it: any method, path, content type and body; typed
 * commands with hostile text; clicks on real messages with any block, button
 * and form values, as any persona. Never a 5xx, nothing logged as an error,
 * no unhandled rejection; a refused request (4xx, or the core saying no)
 * changes nothing but the playground's own transcript of what was typed and
 * answered. A fixed seed; FUZZ_RUNS=10 (npm run fuzz) runs ten times as many.
 */
let play: PlaygroundClient;
let log: ErrorLog;
let replies: ReturnType<typeof watchReplies>;
let watch: ReturnType<typeof watchProcess>;
let trial: ReturnType<typeof trialFor>;
let snapshot: Awaited<ReturnType<typeof snapshots>>;

beforeAll(async () => {
  const dataDir = tempDir();
  const base = new ManualClock(START);
  const clock = new OffsetClock(base);
  log = new ErrorLog();
  const app = await startWesaid({ env: { PORT: "0", SCHEDULER: "off", LOG_LEVEL: "silent", DATA_DIR: dataDir, PLAYGROUND: "1" }, clock, log, buildAdapters });
  play = new PlaygroundClient(app, dataDir, base, clock);
  expect((await play.post("/playground/demo", {})).status).toBe(200);
  await play.app.core.flush();
  // What the playground shows is its own record: typed words and private answers (Setting rows "playground:entry:...").
  snapshot = await snapshots(app.database.prisma, { Setting: `key LIKE 'playground:entry:%'` });
  replies = watchReplies(app.core);
  watch = watchProcess();
  trial = trialFor({ snapshot, replies, settle: () => play.app.core.flush(), takeErrors: () => log.errors.splice(0) });
});
afterAll(async () => {
  watch?.stop();
  replies?.restore();
  await play?.stop();
});
afterEach(() => {
  expect(watch.problems).toEqual([]);
});

const persona = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...PERSONAS.map((p) => p.key)) }, { weight: 1, arbitrary: stringish(20) });
const place = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: "direct" }) },
  { weight: 3, arbitrary: fc.constantFrom(...CHANNELS.map((c) => ({ kind: "channel", channel: c.externalId }))) },
  { weight: 1, arbitrary: hostileValue },
);
const commandWords = fc.constantFrom("", "help", "setup", "join", "suggest", "ideas", "idea", "assign", "update", "together", "pause", "resume", "prefs", "my-data", "forget-me", "consent", "withdraw", "leave", "role", "taster", "panel", "digest", "answers", "prompts", "home", "retention", "nonsense");
/** Mostly none, as the page sends; now and then anything. */
const eventId = fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: stringish(30) });
const typed = fc.oneof({ weight: 3, arbitrary: fc.tuple(commandWords, hostileString()).map(([word, rest]) => `${word} ${rest}`) }, { weight: 1, arbitrary: hostileString(300) });

/** A POST with any body text and content type. */
async function rawPost(path: string, body: string, contentType: string, method = "POST"): Promise<{ status: number }> {
  const res = await fetch(play.url + path, { method, headers: { "content-type": contentType }, body: method === "GET" ? undefined : body });
  await res.arrayBuffer();
  return { status: res.status };
}

/** A control aimed at a real button or form of the message (when it asks to be), without the `aim` flag. */
function aimed(control: unknown, blocks: readonly { kind: string; buttons?: unknown[] }[], pick: number): unknown {
  if (typeof control !== "object" || control === null || !("aim" in control)) return control;
  const { aim, ...rest } = control as { aim: boolean; kind: string };
  const targets = blocks.map((b, i) => [b, i] as const).filter(([b]) => b.kind === (rest.kind === "button" ? "buttons" : "form"));
  if (!aim || targets.length === 0) return rest;
  const [block, at] = targets[pick % targets.length]!;
  return { ...rest, block: at, ...(rest.kind === "button" ? { button: pick % Math.max(1, block.buttons?.length ?? 1) } : {}) };
}

describe("the data check (the check itself works)", () => {
  it("sees a row written, changed or deleted, and not an update that changes nothing or the playground's transcript", async () => {
    const db = play.app.database.prisma;
    const start = await snapshot.now();
    await db.setting.create({ data: { key: "fuzz:check", value: "1" } });
    const written = await snapshot.now();
    expect(changedTables(start, written)).toEqual(["Setting"]);
    await db.setting.update({ where: { key: "fuzz:check" }, data: { value: "1" } });
    expect(await snapshot.now()).toEqual(written);
    await db.setting.update({ where: { key: "fuzz:check" }, data: { value: "2" } });
    expect(changedTables(written, await snapshot.now())).toEqual(["Setting"]);
    await db.setting.delete({ where: { key: "fuzz:check" } });
    expect(await snapshot.now()).toEqual(start);
    await db.setting.create({ data: { key: "playground:entry:fuzz-check", value: "{}" } });
    expect(await snapshot.now()).toEqual(start);
    await db.setting.delete({ where: { key: "playground:entry:fuzz-check" } });
    const person = await db.person.findFirstOrThrow();
    await db.person.update({ where: { id: person.id }, data: { erasedAt: new Date(START) } });
    expect(changedTables(start, await snapshot.now())).toEqual(["Person"]);
    await db.person.update({ where: { id: person.id }, data: { erasedAt: person.erasedAt } });
    expect(await snapshot.now()).toEqual(start);
  });
});

describe("the playground's HTTP API, fuzzed", () => {
  it(
    "any method, path, content type and body gets an answer under 500",
    async () => {
      const request = fc.record({
        method: fc.constantFrom("GET", "POST", "PUT", "DELETE"),
        path: fc.oneof(
          fc.constantFrom("/playground/command", "/playground/action", "/playground/clock", "/playground/state", "/playground/messages", "/playground/files/x/0", "/playground/nothing", "/"),
          hostileString(30).map((p) => `/playground/${encodeURIComponent(p.replace(/[\uD800-\uDFFF]/g, "x"))}`),
          fc.tuple(fc.constantFrom(...PERSONAS.map((p) => p.key)), hostileString(30)).map(([who, where]) => `/playground/messages?persona=${who}&place=${encodeURIComponent(where.replace(/[\uD800-\uDFFF]/g, "x"))}`),
        ),
        type: fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", ""),
        body: hostileJsonText,
      });
      await fc.assert(fc.asyncProperty(request, ({ method, path, type, body }) => trial(() => rawPost(path, body, type, method))), fuzzParams(120));
    },
    fuzzTimeout(30_000),
  );

  it(
    "typed commands with hostile text, as any persona, anywhere",
    async () => {
      const command = fc.record({ persona, place, text: fc.oneof({ weight: 5, arbitrary: typed }, { weight: 1, arbitrary: hostileValue }), eventId });
      await fc.assert(fc.asyncProperty(command, (body) => trial(() => play.post("/playground/command", body))), fuzzParams(150));
    },
    fuzzTimeout(40_000),
  );

  it(
    "clicks on real messages with any block, button and form values, as any persona",
    async () => {
      const index = fc.oneof({ weight: 4, arbitrary: fc.nat(6) }, { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), stringish(5)) });
      const formValues = fc.dictionary(
        fc.oneof(fc.constantFrom("text", "participation", "quotation", "role", "when", "people", "answer", "q1", "choice"), hostileKey),
        fc.oneof(
          { weight: 4, arbitrary: hostileString(200) },
          { weight: 2, arbitrary: fc.array(fc.oneof(fc.constantFrom(...PERSONAS.map((p) => p.externalId)), hostileString(30)), { maxLength: 4 }) },
          { weight: 1, arbitrary: hostileValue },
        ),
        { maxKeys: 5 },
      );
      const click = fc.record({
        persona,
        message: fc.oneof({ weight: 6, arbitrary: fc.nat().map((pick) => ({ pick })) }, { weight: 1, arbitrary: stringish(40).map((raw) => ({ raw })) }),
        // `aim` picks a block of the right kind on the chosen message (and a button on it); otherwise any index.
        control: fc.oneof(
          { weight: 3, arbitrary: fc.record({ kind: fc.constant("button"), block: index, button: index, aim: fc.boolean() }) },
          { weight: 3, arbitrary: fc.record({ kind: fc.constant("form"), block: index, values: formValues, aim: fc.boolean() }) },
          { weight: 1, arbitrary: hostileValue },
        ),
        eventId,
      });
      await fc.assert(
        fc.asyncProperty(click, ({ persona, message, control, eventId }) => {
          // `pick` chooses one of the messages on screen now (any persona's): the playground must check who may click it.
          const externalId = PERSONAS.find((p) => p.key === persona)?.externalId;
          const pick = "pick" in message ? message.pick : 0;
          const mine = play.local.store.all().filter((e) => e.message && (!e.visibleTo || e.visibleTo === externalId) && (e.where.kind === "channel" || e.where.to === externalId));
          const entries = mine.length > 0 && pick % 5 !== 0 ? mine : play.local.store.all().filter((e) => e.message);
          const entry = "pick" in message ? entries[message.pick % entries.length] : undefined;
          const messageId = entry ? entry.id : "raw" in message ? message.raw : undefined;
          const sent = aimed(control, entry?.message?.blocks ?? [], pick);
          return trial(() => play.post("/playground/action", { persona, messageId, control: sent, ...(eventId === undefined ? {} : { eventId }) }));
        }),
        fuzzParams(200),
      );
    },
    fuzzTimeout(45_000),
  );
});
