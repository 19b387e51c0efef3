import { z } from "zod";
import type { CoreContext } from "../context.ts";
import type { Feature, Reply } from "../interactions.ts";
import { defineAction } from "../registry.ts";
import { timeZoneOf } from "../people/index.ts";
import { formatDate } from "../time.ts";
import { RETENTION_CHOICES } from "./rules.ts";
import { retentionOf, setRetention, type RetentionState } from "./settings.ts";
import { sweepRetention } from "./sweep.ts";
import * as say from "./catalogue.ts";

/** How long a programme's data is kept: the organisers' "retention" command and the sweep that deletes. */

const id = z.string().min(1).max(100);

async function view(ctx: CoreContext, readerId: string, programmeId: string, state: RetentionState): Promise<Reply["private"]> {
  const timeZone = await timeZoneOf(ctx.db, readerId);
  return say.retentionView({
    programmeId,
    programmeName: state.programmeName,
    months: state.months,
    isDefault: state.isDefault,
    lastActivity: formatDate(state.lastActivity, timeZone),
    deleteOn: formatDate(state.deleteAt, timeZone),
    choices: RETENTION_CHOICES,
  });
}

export const retentionFeature: Feature = {
  name: "retention",
  actions: [
    defineAction({
      action: "retention.show",
      access: "programme.setup",
      args: z.object({ programmeId: id.optional() }),
      run: async (ctx, { actor, membership }) => ({ private: await view(ctx, actor.person.id, membership.programmeId, await retentionOf(ctx, membership.programmeId)) }),
    }),
    defineAction({
      action: "retention.set",
      access: "programme.setup",
      args: z.object({ programmeId: id, months: z.coerce.number().int().min(1).max(120) }),
      labels: { months: "How long to keep it" },
      async run(ctx, { actor, args, membership }) {
        const state = await setRetention(ctx, actor.person.id, membership.programmeId, args.months);
        return { replaceSource: await view(ctx, actor.person.id, membership.programmeId, state), private: say.done(say.retentionText.saved(state.programmeName, state.months)) };
      },
    }),
  ],
  commands: [{ name: "retention", ...say.commandHelp.retention, capability: "programme.setup", toAction: () => ({ action: "retention.show", args: {} }) }],
  sweeps: [{ name: "retention.delete", run: sweepRetention }],
};
