import type { z } from "zod";
import type { CoreContext } from "./context.ts";
import { WesaidError } from "./errors.ts";
import type { Actor, PersonRef, Reply } from "./interactions.ts";
import type { Membership } from "./generated/prisma/client.ts";
import { CAPABILITIES, type Capability } from "./roles.ts";
import { consentState, membershipFor, requireCapability } from "./access.ts";
import { parseInput } from "./validation.ts";
import { accessText } from "./messages/catalogue/access.ts";

/**
 * Who may call an action:
 * - a capability ("taster.manage"): an active member of the action's programme whose role has it;
 * - "member": any active member of the action's programme;
 * - "anyone": anyone at all, member or not (joining, pausing, "my data", forget me).
 */
export type Access = Capability | "member" | "anyone";

/** What a handler receives: nothing in it is raw. */
export type Call<Args, Target, A extends Access> = {
  actor: Actor;
  args: Args;
  /** People chosen in a form's people picker or mentioned in a command, by field. */
  people: Record<string, PersonRef[]>;
  /** The object the action is about, loaded by `load` (undefined when there is no `load`). */
  target: Target;
  /** The actor's membership of the action's programme; undefined only for "anyone" actions. */
  membership: A extends "anyone" ? Membership | undefined : Membership;
};

export type ActionSpec<S extends z.ZodType, Target, A extends Access> = {
  action: string;
  access: A;
  /** Every argument the action reads, as a zod schema; the registry parses before anything runs. */
  args: S;
  /** Field labels for error sentences ("Your idea" is needed...). */
  labels?: Record<string, string>;
  /**
   * Loads the object the action is about and says which programme it belongs to
   * (a taster, an idea, a delivery...). Throw not_found when it is not there.
   * Without it the programme is `args.programmeId`, else the channel's, else the person's only one.
   */
  load?: (ctx: CoreContext, args: z.output<S>, actor: Actor) => Promise<{ programmeId: string | undefined; target: Target }>;
  /**
   * Who may act on the loaded object, beyond their role: the idea's raiser, an
   * action's co-owners. Checked by the registry after the role, before `run`.
   */
  only?: { who: (target: Target, actor: Actor) => boolean; otherwise: string };
  /**
   * The action stores what the person says or chooses (an answer, an idea, a sign-up):
   * their consent to take part in the programme is checked before it runs.
   */
  storesWhatTheySay?: boolean;
  run(ctx: CoreContext, call: Call<z.output<S>, Target, A>): Promise<Reply>;
};

/** A declared action, as the registry holds it. */
export type ActionDef = {
  action: string;
  access: Access;
  storesWhatTheySay: boolean;
  /** True when only some people may act on the object (see ActionSpec.only). */
  objectRule: boolean;
  args: z.ZodType;
  /** The fields' names as people see them, for refusals (ActionSpec.labels). */
  labels?: Record<string, string>;
  /** Checks everything, then runs the handler. */
  invoke(ctx: CoreContext, actor: Actor, args: Record<string, string>, people: Record<string, PersonRef[]>): Promise<Reply>;
};

export function defineAction<S extends z.ZodType, A extends Access, Target = undefined>(spec: ActionSpec<S, Target, A>): ActionDef {
  return {
    action: spec.action,
    access: spec.access,
    storesWhatTheySay: spec.storesWhatTheySay ?? false,
    objectRule: Boolean(spec.only),
    args: spec.args,
    labels: spec.labels,
    async invoke(ctx, actor, raw, people) {
      const args = parseInput(spec.args, raw, spec.labels) as z.output<S>;
      const loaded = spec.load ? await spec.load(ctx, args, actor) : { programmeId: programmeIdIn(args), target: undefined as Target };
      const only = spec.only ? () => spec.only!.who(loaded.target, actor) || fail(spec.only!.otherwise) : undefined;
      const membership = await check(ctx, actor, spec, loaded.programmeId, only);
      return spec.run(ctx, { actor, args, people, target: loaded.target, membership } as Call<z.output<S>, Target, A>);
    },
  };
}

function programmeIdIn(args: unknown): string | undefined {
  const value = (args as { programmeId?: unknown } | null)?.programmeId;
  return typeof value === "string" && value ? value : undefined;
}

function fail(sentence: string): never {
  throw new WesaidError("not_allowed", sentence);
}

/** Programme, role, the object's own rule, then consent: in that order, so the refusal names the first thing missing. */
async function check(
  ctx: CoreContext,
  actor: Actor,
  spec: { access: Access; storesWhatTheySay?: boolean },
  programmeId: string | undefined,
  only: (() => true) | undefined,
): Promise<Membership | undefined> {
  if (spec.access === "anyone") {
    // Open to anyone; a member acting in a programme still gets their membership.
    const wanted = programmeId ?? actor.channelProgrammeId;
    const membership = actor.memberships.find((m) => m.programmeId === wanted) ?? (actor.memberships.length === 1 && !wanted ? actor.memberships[0] : undefined);
    only?.();
    if (spec.storesWhatTheySay && membership) await requireConsent(ctx, actor, membership.programmeId);
    return membership;
  }
  const membership = membershipFor(actor, programmeId);
  if (spec.access !== "member") requireCapability(membership, spec.access);
  only?.();
  if (spec.storesWhatTheySay) await requireConsent(ctx, actor, membership.programmeId);
  return membership;
}

/** A yes to the programme's current consent words; otherwise nothing is stored, and the refusal offers the question again. */
async function requireConsent(ctx: CoreContext, actor: Actor, programmeId: string): Promise<void> {
  const consent = await consentState(ctx.db, actor.person.id, programmeId);
  if (consent.participation === true && consent.upToDate) return;
  const changed = consent.participation !== null && !consent.upToDate;
  throw new WesaidError("no_consent", changed ? accessText.consentChanged : accessText.needsConsent, { programmeId });
}

/** Refuses a registry that holds an action without a declaration (an untyped caller could still build one). */
export function assertDeclared(def: Partial<ActionDef>): asserts def is ActionDef {
  const problems: string[] = [];
  if (!def.action) problems.push("no action id");
  if (!def.access || !(def.access === "anyone" || def.access === "member" || def.access in CAPABILITIES)) problems.push("no access (a capability, \"member\" or \"anyone\")");
  if (!def.args || typeof (def.args as { safeParse?: unknown }).safeParse !== "function") problems.push("no zod schema for its arguments");
  if (typeof def.invoke !== "function") problems.push("not made with defineAction");
  if (problems.length) throw new Error(`The action ${def.action ?? "(unnamed)"} is not declared: ${problems.join(", ")}`);
}
