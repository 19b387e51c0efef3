import type { CoreContext } from "./context.ts";
import { isWesaidError, WesaidError } from "./errors.ts";
import { interactionSchema, type Actor, type CommandCall, type CommandDef, type Feature, type ParsedInteraction, type PersonRef, type Reply } from "./interactions.ts";
import { assertDeclared, type ActionDef } from "./registry.ts";
import { cleanInput } from "./hygiene.ts";
import { findActorIdentity, newcomer, noteDetectedZone, peopleFeature, platformZone } from "./people/index.ts";
import { homeFeature } from "./home/index.ts";
import { feedbackFeature } from "./feedback/index.ts";
import { promptsFeature } from "./prompts/index.ts";
import { digestFeature } from "./digest/index.ts";
import { tastersFeature } from "./tasters/index.ts";
import { panelsFeature } from "./panels/index.ts";
import { retentionFeature } from "./retention/index.ts";
import { glossaryFeature } from "./glossary/index.ts";
import { evidenceFeature } from "./evidence/index.ts";
import { memberChecksFeature } from "./member-checks/index.ts";
import { codingFeature } from "./coding/index.ts";
import { inductionFeature } from "./induction/index.ts";
import { dispatchOutbox, type DispatchReport } from "./outbox.ts";
import { roleCan } from "./roles.ts";
import { accessText } from "./messages/catalogue/access.ts";
import { peopleCatalogue as say } from "./people/index.ts";
import type { Platform } from "./messenger.ts";
import { createDirectory } from "./directory.ts";
import { createAdapterState, sentMessages } from "./adapter-state.ts";
import { claimEvent, finishEvent, releaseEvent, sweepProcessedEvents } from "./db/event-claims.ts";
import { loadDemo, type DemoCast } from "./demo/seed.ts";
import { parseInput } from "./validation.ts";
import { createInbox, type AcceptOptions } from "./inbox/worker.ts";

/** What accept() says: stored (acknowledge the platform now, the reply follows) or refused at once (show this reply). */
export type Acceptance = { accepted: true; id: string } | { accepted: false; reply: Reply };

export type Core = ReturnType<typeof createCore>;

const MAX_SWEEP_ROUNDS = 50;

/** The features the core runs. A new loop is one file exporting a Feature, added here. */
export function defaultFeatures(): Feature[] {
  return [peopleFeature, feedbackFeature, promptsFeature, digestFeature, tastersFeature, panelsFeature, homeFeature, retentionFeature, glossaryFeature, evidenceFeature, memberChecksFeature, codingFeature, inductionFeature];
}

export function createCore(ctx: CoreContext, features: Feature[] = defaultFeatures()) {
  const actions = new Map<string, ActionDef>();
  const commands = new Map<string, CommandDef>();
  for (const feature of features) {
    for (const def of feature.actions) {
      // The type system already insists; this catches a feature built without it.
      assertDeclared(def);
      if (actions.has(def.action)) throw new Error(`Two features define the action ${def.action}`);
      actions.set(def.action, def);
    }
    for (const def of feature.commands) {
      for (const word of [def.name, ...(def.aliases ?? [])]) {
        if (commands.has(word)) throw new Error(`Two features define the command word "${word}"`);
        commands.set(word, def);
      }
    }
  }
  const sweeps = [...features.flatMap((f) => f.sweeps ?? []), sweepProcessedEvents];

  let dispatching: Promise<DispatchReport> | null = null;

  /** Sends what the outbox holds; concurrent calls share one run. */
  function dispatch(): Promise<DispatchReport> {
    dispatching ??= dispatchOutbox(ctx, { leaseMs: ctx.settings.outboxLeaseMs }).finally(() => {
      dispatching = null;
    });
    return dispatching;
  }

  /**
   * The actor, read once per interaction and never written for a stranger (issue 11): person (with their
   * zone fields), chat accounts and memberships in three statements, the channel's programme in one more.
   */
  async function resolveActor(interaction: ParsedInteraction): Promise<Actor> {
    const now = ctx.clock.now();
    const [known, channel] = await Promise.all([
      findActorIdentity(ctx.db, now, interaction.platform, interaction.user),
      interaction.place.kind === "channel"
        ? ctx.db.programmeChannel.findUnique({
            where: { platform_externalId: { platform: interaction.platform, externalId: interaction.place.externalId } },
            select: { programmeId: true },
          })
        : null,
    ]);
    const who = known ? { person: known.person, identity: known.identity, memberships: known.memberships } : { ...newcomer(now, interaction.platform, interaction.user), memberships: [] };
    const timeZone = zoneReported(interaction);
    // Only for members: someone who has not joined (or whose action is refused before joining) has nothing stored.
    if (known && known.memberships.length > 0 && timeZone) await noteDetectedZone(ctx.db, ctx.log, known.person.id, known.zone, interaction.platform, timeZone);
    return {
      ...who,
      platform: interaction.platform,
      place: interaction.place,
      channelProgrammeId: channel?.programmeId,
      ...(known ? {} : { newcomer: true }),
      ...(timeZone ? { timeZone } : {}),
    };
  }

  function zoneReported(interaction: ParsedInteraction): string | null {
    const reported = interaction.user.timeZone;
    if (reported === undefined) return null;
    const zone = platformZone(reported);
    if (!zone) ctx.log.warn("ignored a time zone the platform sent that we do not know", { platform: interaction.platform, timeZone: reported.slice(0, 100) });
    return zone;
  }

  function helpFor(actor: Actor): Reply {
    const roles = actor.memberships.map((m) => m.role);
    const seen = new Set<CommandDef>();
    const lines = [{ usage: "help", summary: "Show this list." }];
    for (const def of commands.values()) {
      if (seen.has(def)) continue;
      seen.add(def);
      if (def.capability && !roles.some((role) => roleCan(role, def.capability!))) continue;
      lines.push({ usage: def.usage, summary: def.summary });
    }
    return { private: say.help({ lines }) };
  }

  function commandToCall(actor: Actor, text: string, mentions: PersonRef[]): CommandCall | Reply {
    const words = text.trim().replace(/^\/?wesaid\b/i, "").trim();
    const [first = "", ...rest] = words.split(/\s+/);
    const name = first.toLowerCase();
    if (name === "" || name === "help" || name === "?") return helpFor(actor);
    const def = commands.get(name);
    if (!def) throw new WesaidError("invalid_input", accessText.unknownCommand(first));
    return def.toAction(words.slice(first.length).trim() || rest.join(" "), mentions);
  }

  /** The input an invalid form is refused for: the first problem's field, as zod named it. */
  function fieldOf(error: WesaidError): { field?: string } {
    if (error.code !== "invalid_input" || !Array.isArray(error.detail)) return {};
    const first = (error.detail as { path?: unknown[] }[])[0]?.path?.[0];
    return typeof first === "string" ? { field: first } : {};
  }

  async function errorReply(error: unknown, call?: CommandCall): Promise<Reply> {
    if (isWesaidError(error)) {
      if (error.code === "choose_programme" && call) {
        const ids = (error.detail as { programmeIds: string[] }).programmeIds;
        const programmes = await ctx.db.programme.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
        return { private: say.chooseProgramme({ programmes, action: call.action, args: call.args, people: call.people }), error: { code: error.code } };
      }
      // Nothing was stored for want of consent: offer the question again.
      const consentFor = error.code === "no_consent" ? (error.detail as { programmeId?: string } | undefined)?.programmeId : undefined;
      if (consentFor) return { private: say.consentNeeded(error.userMessage, consentFor), error: { code: error.code } };
      return { private: say.errorMessage(error.userMessage), error: { code: error.code, ...fieldOf(error) } };
    }
    ctx.log.error("an action failed", { error: error instanceof Error ? error.stack : String(error), action: call?.action });
    return { private: say.errorMessage(accessText.genericError), error: { code: "internal" } };
  }

  /**
   * The first half of the one entry point: what an acknowledgement waits for.
   * The interaction is cleaned and parsed, an action is looked up and a form's
   * fields are checked against its schema (no database needed, so a refusal can ride on the
   * acknowledgement), and one insert puts it in the durable inbox (src/inbox/).
   * The caller acknowledges the platform, then calls process(id).
   * Throws when the insert fails or misses `deadlineMs` (InboxDeadlineError):
   * then nothing was stored, and the platform must be told so.
   */
  async function accept(raw: unknown, options: AcceptOptions = {}): Promise<Acceptance> {
    const parsed = interactionSchema.safeParse(cleanInput(raw));
    if (!parsed.success) return { accepted: false, reply: await errorReply(new WesaidError("invalid_input", accessText.unknownAction, parsed.error.issues)) };
    const input = parsed.data.input;
    const def = input.kind === "action" ? actions.get(input.action) : undefined;
    if (input.kind === "action" && !def) return { accepted: false, reply: await errorReply(new WesaidError("not_found", accessText.unknownAction)) };
    if (def && input.kind === "action") {
      try {
        parseInput(def.args, input.args, def.labels);
      } catch (error) {
        if (isWesaidError(error)) return { accepted: false, reply: await errorReply(error) };
        throw error;
      }
    }
    // The adapter's follow-up data passes the same door: PostgreSQL's JSON refuses NULs and lone surrogates.
    const followUp = options.followUp === undefined ? undefined : cleanInput(options.followUp);
    const { id } = await inbox.store(parsed.data, { ...options, followUp });
    return { accepted: true, id };
  }

  /** The second half: works the stored interaction off the request path and shows the reply through the platform's ReplySink. */
  function process(id: string): void {
    inbox.workSoon(id);
  }

  /**
   * accept() then the work, returning the Reply to the caller instead of a
   * platform's follow-up (tests, scripts, the playground's HTTP answer).
   */
  async function handle(raw: unknown): Promise<Reply> {
    const accepted = await accept(raw);
    if (!accepted.accepted) return accepted.reply;
    return (await inbox.workById(accepted.id, false)) ?? { duplicate: true };
  }

  /**
   * The work for one stored interaction. It is claimed by its event id first
   * (src/db/event-claims.ts), or by its inbox row when the platform gives none:
   * a redelivery, on this replica or another, is answered as a duplicate; an
   * unexpected failure releases the claim so that the next delivery tries again.
   */
  async function runStored(interaction: ParsedInteraction, fallbackKey: string): Promise<Reply> {
    const key = `${interaction.platform}:${interaction.eventId ?? fallbackKey}`;
    try {
      if ((await claimEvent(ctx, key)) === "taken") return { duplicate: true };
    } catch (error) {
      return errorReply(error);
    }
    const outcome = await run(interaction);
    const settle = outcome.final ? finishEvent(ctx, key) : releaseEvent(ctx, key);
    // If this fails the claim stays "working", and its lease lets a later delivery retry.
    await settle.catch((error) => ctx.log.error("could not record a handled event", { error: String(error) }));
    if (outcome.final && !outcome.reply.error) void dispatch().catch((error) => ctx.log.error("sending failed", { error: String(error) }));
    return outcome.reply;
  }
  const inbox = createInbox(ctx, runStored);

  /** Runs one interaction; `final` is false only for an unexpected failure, which a redelivery may retry. */
  async function run(interaction: ParsedInteraction): Promise<{ reply: Reply; final: boolean }> {
    let call: CommandCall | undefined;
    try {
      const actor = await resolveActor(interaction);
      if (interaction.input.kind === "command") {
        const result = commandToCall(actor, interaction.input.text, interaction.input.mentions);
        if (!("action" in result)) return { reply: result, final: true };
        call = result;
      } else {
        call = { action: interaction.input.action, args: interaction.input.args, people: interaction.input.people };
      }
      const def = actions.get(call.action);
      if (!def) throw new WesaidError("not_found", accessText.unknownAction);
      return { reply: await def.invoke(ctx, actor, call.args, call.people ?? {}), final: true };
    } catch (error) {
      return { reply: await errorReply(error, call), final: isWesaidError(error) };
    }
  }

  /**
   * Sweeps work in bounded batches; a large programme can have more due than
   * one batch, so a sweep runs again while it still finds work (up to a bound,
   * so one tick cannot run forever; the rest waits for the next tick).
   */
  async function drain(sweep: (typeof sweeps)[number]): Promise<number> {
    let total = 0;
    for (let round = 0; round < MAX_SWEEP_ROUNDS; round++) {
      const handled = await sweep.run(ctx, ctx.clock.now());
      total += handled;
      if (handled === 0) break;
    }
    return total;
  }

  /** Runs every scheduled sweep for the clock's now, then sends what they queued. */
  async function tick(): Promise<{ handled: Record<string, number>; sent: DispatchReport }> {
    const handled: Record<string, number> = {};
    for (const sweep of sweeps) {
      try {
        handled[sweep.name] = await drain(sweep);
      } catch (error) {
        // One broken sweep must not stop the others; it runs again next tick.
        ctx.log.error(`scheduled work "${sweep.name}" failed`, { error: error instanceof Error ? error.stack : String(error) });
        handled[sweep.name] = -1;
      }
    }
    return { handled, sent: await flush() };
  }

  /** Waits for the inbox's work under way (its replies and what it queued) and any send under way, then sends everything now due. */
  async function flush(): Promise<DispatchReport> {
    await inbox.idle();
    if (dispatching) await dispatching.catch(() => undefined);
    return dispatch();
  }

  return {
    ctx,
    handle,
    accept,
    process,
    /** The durable inbox: adapters register their ReplySink (onReply); the app drains it at start and now and then. */
    inbox,
    tick,
    flush,
    actions: [...actions.keys()],
    declarations: [...actions.values()],
    commands: [...new Set(commands.values())],
    // What adapters may ask of the core besides handle(): they never query the database themselves.
    /** People and conversations by their platform ids. */
    directory: createDirectory(ctx),
    /** An adapter's own key-value state (src/adapter-state.ts), kept across restarts. */
    adapterState: (namespace: string) => createAdapterState(ctx, namespace),
    /** What the outbox has sent to one platform, for an adapter that rebuilds what it shows. */
    sentMessages: (platform: Platform) => sentMessages(ctx, platform),
    /** Seeds the demo programme with the given people and channel (safe to run twice). */
    loadDemo: (cast: DemoCast) => loadDemo(ctx, cast),
  };
}
