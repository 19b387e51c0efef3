import { z } from "zod";
import type { CoreContext } from "../context.ts";
import { WesaidError } from "../errors.ts";
import type { CommandDef, Reply } from "../interactions.ts";
import type { LearningSet } from "../generated/prisma/client.ts";
import { defineAction } from "../registry.ts";
import { roleCan, ROLES } from "../roles.ts";
import { timeZoneOf } from "../people/index.ts";
import { createLearningSet, endLearningSet, joinLearningSet, type JoinResult, leaveLearningSet, setForm, SET_LABELS, setViews } from "./sets.ts";
import { sweepSetMeetings } from "./set-sweeps.ts";
import { acceptSetOffer, declineSetOffer, sweepSetOffers } from "./set-offers.ts";
import { CHANGE_LABELS, changeForm, changeLearningSet, setAsItIs } from "./set-changes.ts";
import { line } from "./views.ts";
import * as say from "./set-catalogue.ts";

/** Action learning sets in chat: actions, the `learning-set` command and the planning sweep, wired into the panels feature. */

const setArgs = z.object({ setId: z.string().min(1).max(100) });

async function loadSet(ctx: CoreContext, args: { setId: string }): Promise<{ programmeId: string; target: LearningSet }> {
  const set = await ctx.db.learningSet.findUnique({ where: { id: args.setId } });
  if (!set) throw new WesaidError("not_found", say.setText.notFound);
  return { programmeId: set.programmeId, target: set };
}

function joinedText(name: string, joined: JoinResult): string {
  switch (joined.outcome) {
    case "booked":
      return say.setText.joined(name);
    case "already":
      return say.setText.already(name);
    case "waitlisted":
      return say.setText.waitlisted(name, joined.position);
    case "already_waiting":
      return say.setText.alreadyWaiting(name, joined.position);
    case "offered":
      return say.setText.offeredAlready(name);
  }
}

export const setSweeps = [
  { name: "panels.learning_sets", run: sweepSetMeetings },
  { name: "panels.learning_set_offers", run: sweepSetOffers },
];

export const setActions = [
  defineAction({
    action: "learningset.list",
    access: "member",
    args: z.object({ programmeId: z.string().min(1).max(100).optional() }),
    async run(ctx, { actor, membership }): Promise<Reply> {
      const timeZone = await timeZoneOf(ctx.db, actor.person.id);
      const sets = await setViews(ctx, actor.person.id, [membership.programmeId], timeZone);
      return { private: say.setList({ sets, canManage: roleCan(membership.role, "panel.manage") }) };
    },
  }),
  defineAction({
    action: "learningset.new",
    access: "panel.manage",
    args: z.object({ programmeId: z.string().min(1).max(100).optional() }),
    async run(ctx, { actor, membership }) {
      return { private: say.newSetForm({ programmeId: membership.programmeId, timeZone: await timeZoneOf(ctx.db, actor.person.id), roles: ROLES.filter((r) => r !== "admin") }) };
    },
  }),
  defineAction({
    action: "learningset.create",
    access: "panel.manage",
    args: setForm,
    labels: SET_LABELS,
    async run(ctx, { actor, args, membership }) {
      const set = await createLearningSet(ctx, actor.person.id, { ...args, programmeId: membership.programmeId });
      return { replaceSource: line(say.setText.created(set.name)) };
    },
  }),
  defineAction({
    action: "learningset.join",
    access: "member",
    args: setArgs,
    load: loadSet,
    // A sign-up is something a person chooses: stored only with their agreement.
    storesWhatTheySay: true,
    async run(ctx, { actor, target: set, membership }) {
      const joined = await joinLearningSet(ctx, { personId: actor.person.id, role: membership.role, setId: set.id });
      return { private: line(joinedText(set.name, joined)) };
    },
  }),
  defineAction({
    action: "learningset.leave",
    access: "member",
    args: setArgs,
    load: loadSet,
    async run(ctx, { actor, target: set }) {
      await leaveLearningSet(ctx, { personId: actor.person.id, setId: set.id });
      return { private: line(say.setText.left(set.name)) };
    },
  }),
  defineAction({
    action: "learningset.accept",
    access: "member",
    args: setArgs,
    load: loadSet,
    async run(ctx, { actor, target: set }) {
      await acceptSetOffer(ctx, { personId: actor.person.id, setId: set.id });
      return { replaceSource: line(say.setText.accepted(set.name)) };
    },
  }),
  defineAction({
    action: "learningset.decline",
    access: "member",
    args: setArgs,
    load: loadSet,
    async run(ctx, { actor, target: set }) {
      await declineSetOffer(ctx, { personId: actor.person.id, setId: set.id });
      return { replaceSource: line(say.setText.declined) };
    },
  }),
  defineAction({
    action: "learningset.change",
    access: "panel.manage",
    args: setArgs,
    load: loadSet,
    async run(ctx, { actor, target: set }) {
      if (set.endedAt) throw new WesaidError("closed", say.setText.alreadyEnded(set.name));
      return { private: say.changeSetForm(await setAsItIs(ctx, actor.person.id, set)) };
    },
  }),
  defineAction({
    action: "learningset.save",
    access: "panel.manage",
    args: changeForm,
    labels: CHANGE_LABELS,
    load: loadSet,
    async run(ctx, { actor, args, target: set }) {
      const saved = await changeLearningSet(ctx, actor.person.id, set.id, args);
      return { replaceSource: line(saved.changed ? say.setText.changedTold(saved.set.name, saved.told) : say.setText.changedQuiet(saved.set.name)) };
    },
  }),
  defineAction({
    action: "learningset.end",
    access: "panel.manage",
    args: setArgs,
    load: loadSet,
    async run(ctx, { actor, target: set }) {
      await endLearningSet(ctx, actor.person.id, set.id);
      return { replaceSource: line(say.setText.endedDone(set.name)) };
    },
  }),
];

export const setCommand: CommandDef = {
  name: "learning-set",
  aliases: ["learning-sets", "learningset"],
  usage: "learning-set",
  summary: "See the action learning sets (small groups that meet again and again) and join one. Organisers: learning-set new sets one up.",
  toAction(rest) {
    return rest.trim().toLowerCase() === "new" ? { action: "learningset.new", args: {} } : { action: "learningset.list", args: {} };
  },
};
