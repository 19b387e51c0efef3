import type { CoreContext } from "../../src/context.ts";
import { consentState } from "../../src/access.ts";
import { ensureIdentity, joinProgramme, recordConsent, setupProgramme } from "../../src/people.ts";
import { CHANNELS, PERSONAS } from "./personas.ts";

export type DemoResult = { created: boolean; programmeId: string; programmeName: string; message: string };

export const DEMO_PROGRAMME = {
  name: "Young people's mental health (demo)",
  description: "A pretend programme to try wesaid. Young people, carers, staff and commissioners are reshaping local mental health support together.",
};

const DEMO_CHANNEL = CHANNELS[0]!;

/**
 * Seeds the demo programme through the core's own functions, as a facilitator
 * would with buttons and commands. Safe to run twice: each step looks for what
 * an earlier run made before making it.
 */
export async function loadDemo(ctx: CoreContext): Promise<DemoResult> {
  const now = ctx.clock.now();
  const people = new Map<string, string>();
  for (const persona of PERSONAS) {
    const { person } = await ensureIdentity(ctx.db, now, "local", { externalId: persona.externalId, displayName: persona.displayName });
    people.set(persona.key, person.id);
  }
  const facilitatorId = people.get("facilitator")!;

  const linked = await ctx.db.programmeChannel.findUnique({
    where: { platform_externalId: { platform: "local", externalId: DEMO_CHANNEL.externalId } },
    include: { programme: true },
  });
  const created = !linked;
  const programme =
    linked?.programme ??
    (await setupProgramme(ctx, {
      name: DEMO_PROGRAMME.name,
      description: DEMO_PROGRAMME.description,
      facilitatorId,
      channel: { platform: "local", externalId: DEMO_CHANNEL.externalId, name: DEMO_CHANNEL.name },
    }));

  for (const persona of PERSONAS) {
    const personId = people.get(persona.key)!;
    await joinProgramme(ctx, { personId, programmeId: programme.id, role: persona.role });
    const consent = await consentState(ctx.db, personId, programme.id, ctx.settings.consentPolicyVersion);
    if (consent.participation !== true || !consent.upToDate) {
      await recordConsent(ctx, { personId, programmeId: programme.id, participation: true, quotation: true });
    }
  }

  return {
    created,
    programmeId: programme.id,
    programmeName: programme.name,
    message: created
      ? `The demo programme "${programme.name}" is ready. Everyone is a member and has agreed to take part. Look in #${DEMO_CHANNEL.name}.`
      : `The demo programme "${programme.name}" was already loaded. Anything missing has been added back.`,
  };
}
