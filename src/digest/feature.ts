import { z } from "zod";
import { WesaidError } from "../errors.ts";
import type { Feature } from "../interactions.ts";
import { defineAction } from "../registry.ts";
import { weekStart } from "../time.ts";
import { auditRead } from "../audit.ts";
import { roleCan } from "../roles.ts";
import { storedDigest } from "./data.ts";
import { digestCommandArgs } from "./rules.ts";
import { buildDigest } from "./build.ts";
import { sendWeeklyDigests } from "./weekly.ts";
import * as say from "./catalogue.ts";
import { chartsFor, digestsBefore, withPictures } from "./pictures.ts";

const showArgs = z.object({
  programmeId: z.string().min(1).optional(),
  week: z.enum(["current", "last"]).default("last"),
});

/** The weekly digest for the evaluation team: the "digest" command and the weekly sweep. */
export const digestFeature: Feature = {
  name: "digest",
  actions: [
    defineAction({
      action: "digest.show",
      access: "digest.view",
      args: showArgs,
      labels: { week: "Week" },
      async run(ctx, { actor, args, membership }) {
        const { programmeId } = membership;
        const canExport = roleCan(membership.role, "evidence.export");
        const read = (week: Date) => auditRead(ctx.db, ctx.clock.now(), actor.person.id, { kind: "digest", programmeId, week });
        if (args.week === "current") {
          const now = ctx.clock.now();
          await read(weekStart(now));
          return { private: say.digestMessage(await buildDigest(ctx.db, ctx.settings, programmeId, weekStart(now), { asOf: now }), { programmeId, canExport }) };
        }
        const latest = await ctx.db.digest.findFirst({ where: { programmeId }, orderBy: { weekStart: "desc" } });
        if (!latest) return { private: say.noDigestYet({ programmeId }) };
        const data = storedDigest(latest.data);
        if (!data) throw new WesaidError("not_found", say.digestText.unreadable);
        await read(latest.weekStart);
        const charts = await chartsFor(data, await digestsBefore(ctx.db, programmeId, latest.weekStart));
        return { private: withPictures(say.digestMessage(data, { programmeId, canExport }), charts, { settings: ctx.settings, digestId: latest.id, readerId: actor.person.id, now: ctx.clock.now() }) };
      },
    }),
  ],
  commands: [
    {
      name: "digest",
      aliases: ["summary"],
      ...say.commandHelp.digest,
      capability: "digest.view",
      toAction: (rest) => ({ action: "digest.show", args: digestCommandArgs(rest) }),
    },
  ],
  sweeps: [{ name: "digest.weekly", run: sendWeeklyDigests }],
};
