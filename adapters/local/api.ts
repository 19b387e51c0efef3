import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { Config } from "../../src/config.ts";
import type { Logger } from "../../src/context.ts";
import type { Core } from "../../src/core.ts";
import { isWesaidError } from "../../src/errors.ts";
import { BodyTooLargeError, readBody, sendJson } from "../../src/http.ts";
import type { Interaction, PersonRef, Reply } from "../../src/interactions.ts";
import { choosesMany, type ActionCall, type Block, type Message, type PeopleInput } from "../../src/messages/model.ts";
import type { HttpRoute } from "../../src/platform.ts";
import { isValidTimeZone, parseInput } from "../../src/validation.ts";
import type { PlaygroundClock } from "./clock.ts";
import { SKIPS } from "./clock.ts";
import { SAMPLE_PEOPLE, type DemoResult } from "../../src/demo/seed.ts";
import { canSee, type Entry, type PlaygroundStore, type Where } from "./messenger.ts";
import { CHANNELS, channelById, PERSONAS, personaByKey, readMentions, type Persona } from "./personas.ts";
import type { PageAssets } from "./assets.ts";

// ------------------------------------------------------------------ request shapes

const personaKey = z.enum(PERSONAS.map((p) => p.key) as [string, ...string[]]);
const channelId = z.enum(CHANNELS.map((c) => c.externalId) as [string, ...string[]]);
const placeSchema = z.discriminatedUnion("kind", [z.object({ kind: z.literal("direct") }), z.object({ kind: z.literal("channel"), channel: channelId })]);
const eventId = z.string().min(1).max(100).optional();
/** The browser's own zone (Intl's resolvedOptions), as Slack and Teams report theirs; a zone we do not know is dropped, not refused. */
const browserZone = z.string().max(100).refine(isValidTimeZone).optional().catch(undefined);

const commandBody = z.object({ persona: personaKey, place: placeSchema, text: z.string().trim().min(1).max(4000), eventId, timeZone: browserZone });

const formValue = z.union([z.string().max(4000), z.array(z.string().max(200)).max(50)]);
const actionBody = z.object({
  persona: personaKey,
  messageId: z.string().min(1).max(100),
  eventId,
  timeZone: browserZone,
  control: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("button"), block: z.number().int().min(0).max(200), button: z.number().int().min(0).max(100) }),
    z.object({ kind: z.literal("form"), block: z.number().int().min(0).max(200), values: z.record(z.string().max(100), formValue) }),
  ]),
});
const clockBody = z.object({ skip: z.enum(Object.keys(SKIPS) as [keyof typeof SKIPS, ...(keyof typeof SKIPS)[]]) });
const viewQuery = z.object({
  persona: personaKey,
  place: z.union([z.literal("direct"), z.string().regex(/^channel:[\w-]{1,100}$/)]),
});

/** Everyone a people picker offers in the playground: the personas, then the demo's sample people. */
export const PICKABLE_PEOPLE: readonly { externalId: string; displayName: string }[] = [...PERSONAS, ...SAMPLE_PEOPLE].map(({ externalId, displayName }) => ({
  externalId,
  displayName,
}));

const LABELS = { persona: "Person", place: "Place", text: "What you typed", messageId: "Message", skip: "How far to skip", channel: "Channel" };

// ------------------------------------------------------------------ routes

export type PlaygroundDeps = {
  core: Core;
  config: Config;
  log: Logger;
  store: PlaygroundStore;
  clock: PlaygroundClock;
  assets: PageAssets;
  loadDemo(): Promise<DemoResult>;
};

/** Whether this persona can see this entry anywhere (their own direct messages, or a channel). */
const seenBy = (entry: Entry, persona: Persona) =>
  canSee(entry, persona.externalId, entry.where) && (entry.where.kind === "channel" || entry.where.to === persona.externalId);

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/**
 * Refuses requests a web page elsewhere could make to the playground: when it
 * is bound to this computer only, the Host must be this computer (stops DNS
 * rebinding), and a browser's Origin must match it (stops cross-site posts).
 */
function checkOrigin(config: Config, req: IncomingMessage): void {
  const host = req.headers.host ?? "";
  const hostname = host.replace(/:\d+$/, "").toLowerCase();
  if (LOOPBACK_HOSTS.has(config.HOST) && !LOOPBACK_HOSTS.has(hostname)) throw new HttpError(403, "The playground only answers requests from this computer.");
  const origin = req.headers.origin;
  if (req.method === "POST" && origin && origin !== "null") {
    let originHost = "";
    try {
      originHost = new URL(origin).host;
    } catch {
      /* leave empty: refused below */
    }
    if (originHost.toLowerCase() !== host.toLowerCase()) throw new HttpError(403, "The playground only answers its own page.");
  }
}

async function readJson<S extends z.ZodType>(req: IncomingMessage, schema: S): Promise<z.output<S>> {
  const type = String(req.headers["content-type"] ?? "");
  if (!type.toLowerCase().startsWith("application/json")) throw new HttpError(415, "Please send JSON (Content-Type: application/json).");
  let raw: unknown;
  try {
    raw = JSON.parse(await readBody(req, 200_000));
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new HttpError(413, "That is too much to send at once.");
    throw new HttpError(400, "That was not valid JSON.");
  }
  return validated(schema, raw);
}

function validated<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  try {
    return parseInput(schema, raw, LABELS);
  } catch (error) {
    throw new HttpError(400, isWesaidError(error) ? error.userMessage : "That request was not right.");
  }
}

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cache-control": "no-store",
};

export function createPlaygroundRoutes(deps: PlaygroundDeps): { routes: HttpRoute[]; close(): void } {
  const { core, store, clock, assets } = deps;
  const streams = new Set<ServerResponse>();

  const withErrors =
    (handler: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void) =>
    async (req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? "/", "http://localhost");
      try {
        checkOrigin(deps.config, req);
        await handler(req, res, url);
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        if (res.headersSent) return void res.end();
        res.setHeader("cache-control", "no-store");
        sendJson(res, error.status, { error: error.message });
      }
    };

  // ---------------------------------------------------------------- presenting replies

  function whereOf(persona: Persona, place: z.output<typeof placeSchema>): Where {
    return place.kind === "direct" ? { kind: "direct", to: persona.externalId } : { kind: "channel", channel: place.channel };
  }

  function placeFor(where: Where): Interaction["place"] {
    if (where.kind === "direct") return { kind: "direct" };
    return { kind: "channel", externalId: where.channel, name: channelById(where.channel)?.name ?? where.channel };
  }

  /** Hands one interaction to the core, then shows the reply where the persona acted. */
  async function act(persona: Persona, where: Where, input: Interaction["input"], sent: { eventId?: string; timeZone?: string }, sourceId?: string, fromForm = false) {
    const reply = await core.handle({
      platform: "local",
      eventId: sent.eventId,
      user: { externalId: persona.externalId, displayName: persona.displayName, ...(sent.timeZone ? { timeZone: sent.timeZone } : {}) },
      place: placeFor(where),
      input,
    } satisfies Interaction);
    await core.flush();
    // The zone the persona is in now (it may have just changed), for the page's clock; none once they are forgotten.
    const timeZone = await core.directory.timeZoneOf("local", persona.externalId);
    const erased = timeZone === null;
    if (erased) await store.forgetPersona(persona.externalId);
    // A form that is not filled in right shows why inside the form, and only there: a chat message
    // saying so would stay behind as the newest message after the person puts it right.
    const inForm = fromForm && reply.error?.code === "invalid_input";
    const shown = inForm ? [] : await present(reply, persona, where, erased ? undefined : sourceId);
    return {
      ok: !reply.error,
      duplicate: reply.duplicate ?? false,
      error: reply.error ? { code: reply.error.code, message: reply.private?.summary ?? "", ...(reply.error.field ? { field: reply.error.field } : {}), inForm } : undefined,
      entries: shown,
      timeZone,
    };
  }

  async function present(reply: Reply, persona: Persona, where: Where, sourceId?: string): Promise<Entry[]> {
    if (reply.duplicate) return [];
    const shown: Entry[] = [];
    const privately = where.kind === "channel" ? persona.externalId : undefined;
    if (reply.replaceSource) {
      const source = sourceId ? store.get(sourceId) : undefined;
      // A shared channel post is never replaced by one person's answer: they get it privately instead.
      const ownSource = source && (source.where.kind === "direct" || source.visibleTo === persona.externalId);
      const replaced = ownSource ? await store.replace(source.id, reply.replaceSource, true) : undefined;
      shown.push(replaced ?? (await store.addOwn({ where, visibleTo: privately, kind: "private", message: reply.replaceSource })));
    }
    if (reply.private) shown.push(await store.addOwn({ where, visibleTo: privately, kind: "private", message: reply.private }));
    return shown;
  }

  /** The button or form a click names, taken from the stored message so its action and ids cannot be changed. */
  function callFor(message: Message, control: z.output<typeof actionBody>["control"]): Required<ActionCall> {
    const block: Block | undefined = message.blocks[control.block];
    if (control.kind === "button") {
      const button = block?.kind === "buttons" ? block.buttons[control.button] : undefined;
      if (!button) throw new HttpError(404, "That button is not on this message any more.");
      return { action: button.call.action, args: { ...button.call.args }, people: { ...button.call.people } };
    }
    if (block?.kind !== "form") throw new HttpError(404, "That form is not on this message any more.");
    const args: Record<string, string> = { ...block.submit.args };
    const people: Record<string, PersonRef[]> = { ...block.submit.people };
    for (const input of block.inputs) {
      const value = control.values[input.id];
      if (value === undefined) continue;
      if (input.kind === "people") {
        const chosen = chosenPeople(input, value);
        if (chosen.length > 0) people[input.id] = chosen;
        continue;
      }
      const text = Array.isArray(value) ? value.join("\n") : value;
      if (text === "" && input.optional) continue;
      args[input.id] = text;
    }
    return { action: block.submit.action, args, people };
  }

  /** A people picker's ticked people (their ids); typed text gives the people its @names name. */
  function chosenPeople(input: PeopleInput, value: string | string[]): PersonRef[] {
    if (!Array.isArray(value)) return readMentions(value).mentions.map(({ externalId, displayName }) => ({ externalId, ...(displayName ? { displayName } : {}) }));
    const ids = [...new Set(value)];
    const chosen = ids.map((id) => PICKABLE_PEOPLE.find((p) => p.externalId === id));
    if (chosen.some((p) => p === undefined)) throw new HttpError(400, "One of the people chosen is not in the playground.");
    if (ids.length > 1 && !choosesMany(input)) throw new HttpError(400, "Please choose only one person.");
    return chosen.map((p) => ({ externalId: p!.externalId, displayName: p!.displayName }));
  }

  // ---------------------------------------------------------------- handlers

  async function state(_req: IncomingMessage, res: ServerResponse) {
    const demo = await core.directory.findChannel("local", CHANNELS[0]!.externalId);
    res.setHeader("cache-control", "no-store");
    sendJson(res, 200, {
      now: clock.now().toISOString(),
      canSkip: clock.canSkip,
      skips: Object.keys(SKIPS),
      demoLoaded: Boolean(demo),
      personas: PERSONAS.map(({ key, role, externalId, name, displayName, about }) => ({ key, role, externalId, name, displayName, about })),
      people: PICKABLE_PEOPLE,
      channels: CHANNELS,
    });
  }

  async function messages(_req: IncomingMessage, res: ServerResponse, url: URL) {
    const query = validated(viewQuery, { persona: url.searchParams.get("persona") ?? undefined, place: url.searchParams.get("place") ?? undefined });
    const persona = personaByKey(query.persona)!;
    const channel = query.place === "direct" ? undefined : query.place.slice("channel:".length);
    if (channel !== undefined && !channelById(channel)) throw new HttpError(404, "There is no channel with that name.");
    const where: Where = channel === undefined ? { kind: "direct", to: persona.externalId } : { kind: "channel", channel };
    const timeZone = await core.directory.timeZoneOf("local", persona.externalId);
    res.setHeader("cache-control", "no-store");
    // With the zone wesaid uses for this persona (null before they have joined), so the page's clock shows their time.
    sendJson(res, 200, { entries: store.visible(persona.externalId, where), timeZone });
  }

  function events(req: IncomingMessage, res: ServerResponse) {
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", connection: "keep-alive", ...SECURITY_HEADERS });
    res.write("retry: 2000\n\n");
    const write = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    const unsubscribe = store.subscribe((event) => (event.type === "entry" ? write("entry", event.entry) : write("removed", { ids: event.ids })));
    pageListeners.add(write);
    const heartbeat = setInterval(() => res.write(": still here\n\n"), 20_000);
    heartbeat.unref();
    streams.add(res);
    req.on("close", () => {
      clearInterval(heartbeat);
      unsubscribe();
      pageListeners.delete(write);
      streams.delete(res);
    });
  }

  // Every open tab hears what changes the whole playground (the time, the demo), so two tabs stay in step.
  const pageListeners = new Set<(event: string, data: unknown) => void>();
  const tellPages = (event: string, data: unknown) => pageListeners.forEach((listener) => listener(event, data));
  const announceClock = (now: Date) => tellPages("clock", { now: now.toISOString() });

  async function command(req: IncomingMessage, res: ServerResponse) {
    const body = await readJson(req, commandBody);
    const persona = personaByKey(body.persona)!;
    const where = whereOf(persona, body.place);
    const typed = await store.addOwn({ where, visibleTo: persona.externalId, kind: "typed", text: body.text });
    const result = await act(persona, where, { kind: "command", ...readMentions(body.text) }, body);
    sendJson(res, 200, { ...result, entries: [typed, ...result.entries] });
  }

  async function action(req: IncomingMessage, res: ServerResponse) {
    const body = await readJson(req, actionBody);
    const persona = personaByKey(body.persona)!;
    const source = store.get(body.messageId);
    if (!source?.message || !seenBy(source, persona)) {
      throw new HttpError(404, "That message is not in this person's view.");
    }
    const call = callFor(source.message, body.control);
    const result = await act(persona, source.where, { kind: "action", ...call }, body, source.id, body.control.kind === "form");
    sendJson(res, 200, result);
  }

  async function skip(req: IncomingMessage, res: ServerResponse) {
    const body = await readJson(req, clockBody);
    if (!clock.canSkip) throw new HttpError(409, "Time cannot be moved on in this installation.");
    const result = await clock.skip(body.skip, announceClock);
    sendJson(res, 200, { now: result.now.toISOString(), handled: result.handled });
  }

  async function demo(req: IncomingMessage, res: ServerResponse) {
    await readJson(req, z.object({}).passthrough());
    const result = await deps.loadDemo();
    await core.flush();
    tellPages("demo", { message: result.message });
    sendJson(res, 200, result);
  }

  function file(_req: IncomingMessage, res: ServerResponse, url: URL) {
    const [, , , messageId = "", blockText = ""] = url.pathname.split("/");
    const persona = personaByKey(url.searchParams.get("persona") ?? "");
    const entry = store.get(decodeURIComponent(messageId));
    const block = entry?.message?.blocks[Number(blockText)];
    if (!persona || !entry || !seenBy(entry, persona) || block?.kind !== "file") {
      throw new HttpError(404, "That file is not here.");
    }
    const safeName = block.filename.replace(/[^\w.-]+/g, "_").slice(0, 100) || "download";
    const mime = /^[\w.+-]+\/[\w.+-]+$/.test(block.mimeType) ? block.mimeType : "application/octet-stream";
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      "content-type": `${mime}; charset=utf-8`,
      "content-disposition": `attachment; filename="${safeName}"`,
      "content-length": Buffer.byteLength(block.content),
    });
    res.end(block.content);
  }

  function asset(name: keyof PageAssets, type: string) {
    return (_req: IncomingMessage, res: ServerResponse) => {
      const body = assets[name];
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        "content-type": type,
        "content-length": Buffer.byteLength(body),
        ...(name === "html"
          ? { "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'" }
          : {}),
      });
      res.end(body);
    };
  }

  const table: { method: "GET" | "POST"; path: string | RegExp; handle: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void }[] = [
    { method: "GET", path: "/playground/assets/app.js", handle: asset("script", "text/javascript; charset=utf-8") },
    { method: "GET", path: "/playground/assets/style.css", handle: asset("style", "text/css; charset=utf-8") },
    { method: "GET", path: "/playground/state", handle: state },
    { method: "GET", path: "/playground/messages", handle: messages },
    { method: "GET", path: "/playground/events", handle: events },
    { method: "GET", path: /^\/playground\/files\/[\w-]+\/\d+$/, handle: file },
    { method: "POST", path: "/playground/command", handle: command },
    { method: "POST", path: "/playground/action", handle: action },
    { method: "POST", path: "/playground/clock", handle: skip },
    { method: "POST", path: "/playground/demo", handle: demo },
  ];

  const dispatch = (method: "GET" | "POST") =>
    withErrors(async (req, res, url) => {
      const matches = table.filter((r) => (typeof r.path === "string" ? r.path === url.pathname : r.path.test(url.pathname)));
      const route = matches.find((r) => r.method === method);
      if (route) return route.handle(req, res, url);
      if (matches.length > 0) throw new HttpError(405, "That is not allowed here.");
      throw new HttpError(404, "Not found.");
    });

  return {
    routes: [
      { method: "GET", path: "/", handle: withErrors(asset("html", "text/html; charset=utf-8")) },
      { method: "GET", path: "/playground/", prefix: true, handle: dispatch("GET") },
      { method: "POST", path: "/playground/", prefix: true, handle: dispatch("POST") },
    ],
    close() {
      for (const res of streams) res.end();
      streams.clear();
    },
  };
}
