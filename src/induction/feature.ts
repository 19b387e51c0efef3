import { z } from "zod";
import type { Feature } from "../interactions.ts";
import { defineAction } from "../registry.ts";
import { setInduction, stopInduction } from "./settings.ts";
import { sweepInduction } from "./sweep.ts";
import { done, inductionText as say } from "./catalogue.ts";

/** The induction: a few private messages over a late joiner's first days (DOMAIN "Late joiners", evaluation 003). */

export const inductionFeature: Feature = {
  name: "induction",
  actions: [
    defineAction({
      action: "induction.stop",
      access: "member",
      args: z.object({ programmeId: z.string().min(1).max(100) }),
      async run(ctx, { actor, membership }) {
        const changed = await stopInduction(ctx, actor.person.id, membership.programmeId);
        return { private: done(changed ? say.stopped : say.alreadyStopped) };
      },
    }),
    defineAction({
      action: "induction.setting",
      access: "induction.manage",
      args: z.object({ programmeId: z.string().min(1).max(100).optional(), on: z.enum(["on", "off"]).optional() }),
      async run(ctx, { actor, args, membership }) {
        const programme = await ctx.db.programme.findUniqueOrThrow({ where: { id: membership.programmeId }, select: { name: true, inductionOn: true } });
        if (!args.on) return { private: done(say.state(programme.name, programme.inductionOn)) };
        await setInduction(ctx, membership.programmeId, args.on === "on", actor.person.id);
        return { private: done(args.on === "on" ? say.turnedOn(programme.name) : say.turnedOff(programme.name)) };
      },
    }),
  ],
  commands: [
    {
      name: "induction",
      usage: "induction on|off",
      summary: say.commandSummary,
      capability: "induction.manage",
      toAction: (rest) => {
        const word = rest.trim().toLowerCase();
        const args: Record<string, string> = word === "on" || word === "off" ? { on: word } : {};
        return { action: "induction.setting", args };
      },
    },
  ],
  sweeps: [{ name: "induction.steps", run: sweepInduction }],
};
