import { z } from "zod";
import type { CoreContext } from "../context.ts";
import { WesaidError } from "../errors.ts";
import type { Feature } from "../interactions.ts";
import type { Panel } from "../generated/prisma/client.ts";
import { defineAction } from "../registry.ts";
import { programmeWhereCan } from "../access.ts";
import { auditRead } from "../audit.ts";
import { formatDate } from "../time.ts";
import { timeZoneOf } from "../people/index.ts";
import { whenText } from "../calendar/index.ts";
import { debriefClosesAt } from "./rules.ts";
import { panelForm, setUpPanel } from "./setup.ts";
import { DEBRIEF_LABELS, debriefArgs, memberOf, panelSummaryFor, requireDebriefOpen, saveDebrief } from "./debriefs.ts";
import { sweepDebriefs, sweepPrep } from "./sweeps.ts";
import { line, panelsList, recentPanels, viewOf } from "./views.ts";
import { setActions, setCommand, setSweeps } from "./set-feature.ts";
import * as say from "./catalogue.ts";

/** Panels in chat: the declared actions, the `panel` command and the scheduled work. */

/** The id of the form's people picker that says who is on the panel. */
export const MEMBERS_INPUT = "members";

const panelArgs = z.object({ panelId: z.string().min(1).max(100) });

/** The panel the action is about, and so its programme. */
async function loadPanel(ctx: CoreContext, args: { panelId: string }): Promise<{ programmeId: string; target: Panel }> {
  const panel = await ctx.db.panel.findUnique({ where: { id: args.panelId } });
  if (!panel) throw new WesaidError("not_found", say.panelText.notFound);
  return { programmeId: panel.programmeId, target: panel };
}

export const panelsFeature: Feature = {
  name: "panels",
  sweeps: [
    { name: "panels.prep", run: sweepPrep },
    { name: "panels.debriefs", run: sweepDebriefs },
    ...setSweeps,
  ],
  actions: [
    defineAction({
      action: "panel.list",
      access: "anyone",
      args: z.object({}),
      run: (ctx, { actor }) => panelsList(ctx, actor),
    }),
    defineAction({
      action: "panel.new",
      access: "panel.manage",
      args: z.object({ programmeId: z.string().min(1).max(100).optional() }),
      async run(ctx, { actor, membership }) {
        return { private: say.newPanelForm({ programmeId: membership.programmeId, timeZone: await timeZoneOf(ctx.db, actor.person.id) }) };
      },
    }),
    defineAction({
      action: "panel.create",
      access: "panel.manage",
      args: panelForm,
      async run(ctx, { actor, args, people, membership }) {
        const members = (people[MEMBERS_INPUT] ?? []).map((p) => ({ externalId: p.externalId, displayName: p.displayName }));
        const created = await setUpPanel(ctx, actor.person.id, { ...args, members, programmeId: membership.programmeId }, { platform: actor.platform });
        return { replaceSource: line(say.panelText.created(created.panel.title, created.members, created.members - created.told)) };
      },
    }),
    defineAction({
      action: "panel.debrief.form",
      access: "member",
      args: panelArgs,
      load: loadPanel,
      async run(ctx, { actor, target: panel }) {
        const now = ctx.clock.now();
        const timeZone = await timeZoneOf(ctx.db, actor.person.id);
        await memberOf(ctx.db, panel, actor.person.id);
        requireDebriefOpen(panel, now, timeZone);
        const members = await ctx.db.panelMember.findMany({ where: { panelId: panel.id } });
        const existing = await ctx.db.debriefResponse.findFirst({ where: { panelId: panel.id, personId: actor.person.id } });
        return { private: say.debriefForm(viewOf(panel, members, timeZone), { closes: formatDate(debriefClosesAt(panel.endsAt), timeZone), initial: existing ?? undefined }) };
      },
    }),
    defineAction({
      action: "panel.debrief",
      access: "member",
      args: debriefArgs,
      labels: DEBRIEF_LABELS,
      load: loadPanel,
      storesWhatTheySay: true,
      async run(ctx, { actor, args, target: panel }) {
        const timeZone = await timeZoneOf(ctx.db, actor.person.id);
        const response = await saveDebrief(ctx, actor.person.id, panel, args, timeZone);
        return { replaceSource: say.debriefSaved({ panelId: panel.id, title: panel.title, answer: response, closes: formatDate(debriefClosesAt(panel.endsAt), timeZone) }) };
      },
    }),
    defineAction({
      action: "panel.summary",
      access: "panel.manage",
      args: z.object({ panelId: z.string().min(1).max(100).optional() }),
      // Without a panel: a list to choose from, across every programme where the person manages panels.
      load: async (ctx, args, actor) => (args.panelId ? loadPanel(ctx, { panelId: args.panelId }) : { programmeId: programmeWhereCan(actor, "panel.manage"), target: null }),
      async run(ctx, { actor, target: panel }) {
        const timeZone = await timeZoneOf(ctx.db, actor.person.id);
        if (!panel) return { private: say.summaryPick({ panels: await recentPanels(ctx, actor, timeZone) }) };
        const summary = await panelSummaryFor(ctx, panel.id);
        await auditRead(ctx.db, ctx.clock.now(), actor.person.id, { kind: "debriefs", programmeId: panel.programmeId, panelId: panel.id });
        return { private: say.panelSummary({ ...summary, title: panel.title, when: whenText(panel.startsAt, panel.endsAt, timeZone) }) };
      },
    }),
    ...setActions,
  ],
  commands: [
    {
      name: "panel",
      aliases: ["panels"],
      usage: "panel",
      summary: "See the panels you are on. Organisers: panel new sets one up, panel summary shows how one went.",
      toAction(rest) {
        const word = rest.trim().toLowerCase();
        if (word === "new") return { action: "panel.new", args: {} };
        if (word === "summary") return { action: "panel.summary", args: {} };
        return { action: "panel.list", args: {} };
      },
    },
    setCommand,
  ],
};
