import { z } from "zod";
import type { CoreContext } from "../context.ts";
import { WesaidError } from "../errors.ts";
import type { Actor, Feature } from "../interactions.ts";
import type { Taster, TasterSignup } from "../generated/prisma/client.ts";
import { defineAction } from "../registry.ts";
import { PARTICIPANT_ROLES } from "../roles.ts";
import { programmeWhereCan } from "../access.ts";
import { timeZoneOf } from "../people/index.ts";
import { cancelSessionArgs, CANCEL_LABELS, FOLLOW_UP_LABELS, followUpArgs, tasterForm } from "./input.ts";
import { createTaster, cancelSession } from "./sessions.ts";
import { acceptOffer, cancelPlace, declineOffer, signUp } from "./places.ts";
import { markAttendance, saveAttendance, saveFollowUp } from "./afterwards.ts";
import { postCount } from "./posts.ts";
import { sweepFollowUps, sweepOffers, sweepReminders } from "./sweeps.ts";
import { attendancePicker, attendanceSheet, cancelSessionAsk, confirmationMessage, inviteFor, line, privately, upcomingList, viewOf } from "./views.ts";
import * as say from "./catalogue.ts";

/** Taster sessions in chat: the declared actions, the `taster` command and the scheduled work. */

const noArgs = z.object({ programmeId: z.string().min(1).max(100).optional() });
const tasterArgs = z.object({ tasterId: z.string().min(1).max(100) });
const signupArgs = z.object({ signupId: z.string().min(1).max(100) });
const attendanceArgs = z.object({ signupId: z.string().min(1).max(100), attended: z.enum(["yes", "no"]) });
const attendanceFormArgs = z.object({
  tasterId: z.string().min(1).max(100),
  attended: z.preprocess((v) => (typeof v === "string" ? v.split("\n").map((s) => s.trim()).filter(Boolean) : (v ?? [])), z.array(z.string()).max(1000)),
});

/** The taster the action is about, and so its programme. */
async function loadTaster(ctx: CoreContext, args: { tasterId: string }): Promise<{ programmeId: string; target: Taster }> {
  const taster = await ctx.db.taster.findUnique({ where: { id: args.tasterId } });
  if (!taster) throw new WesaidError("not_found", say.tasterText.notFound);
  return { programmeId: taster.programmeId, target: taster };
}

/** A sign-up and its taster. */
async function loadSignup(ctx: CoreContext, args: { signupId: string }): Promise<{ programmeId: string; target: TasterSignup & { taster: Taster } }> {
  const signup = await ctx.db.tasterSignup.findUnique({ where: { id: args.signupId }, include: { taster: true } });
  if (!signup) throw new WesaidError("not_found", say.tasterText.notFound);
  return { programmeId: signup.taster.programmeId, target: signup };
}

/** The caller's own sign-up: anyone else's is "not found". */
async function loadOwnSignup(ctx: CoreContext, args: { signupId: string }, actor: Actor) {
  const loaded = await loadSignup(ctx, args);
  if (loaded.target.personId !== actor.person.id) throw new WesaidError("not_found", say.tasterText.notFound);
  return loaded;
}

export const tastersFeature: Feature = {
  name: "tasters",
  sweeps: [
    { name: "tasters.offers", run: sweepOffers },
    { name: "tasters.reminders", run: sweepReminders },
    { name: "tasters.followups", run: sweepFollowUps },
  ],
  actions: [
    defineAction({
      action: "taster.list",
      access: "anyone",
      args: z.object({}),
      run: (ctx, { actor }) => upcomingList(ctx, actor),
    }),
    defineAction({
      action: "taster.new",
      access: "taster.manage",
      args: noArgs,
      async run(ctx, { actor, membership }) {
        return { private: say.newTasterForm({ programmeId: membership.programmeId, roles: PARTICIPANT_ROLES, timeZone: await timeZoneOf(ctx.db, actor.person.id) }) };
      },
    }),
    defineAction({
      action: "taster.create",
      access: "taster.manage",
      args: tasterForm,
      async run(ctx, { actor, args, membership }) {
        const taster = await createTaster(ctx, actor.person.id, { ...args, programmeId: membership.programmeId });
        return { replaceSource: say.tasterPost(viewOf(taster, [], await timeZoneOf(ctx.db, actor.person.id))), private: line(say.tasterText.created(taster.title, postCount(taster))) };
      },
    }),
    defineAction({
      action: "taster.signup",
      access: "taster.signup",
      args: tasterArgs,
      load: loadTaster,
      storesWhatTheySay: true,
      async run(ctx, { actor, target: taster, membership }) {
        const result = await signUp(ctx, { personId: actor.person.id, role: membership.role, tasterId: taster.id });
        if (result.outcome === "booked") return privately(say.tasterText.booked(taster.title));
        if (result.outcome === "waitlisted") return privately(say.tasterText.waitlisted(taster.title, result.position));
        if (result.signup.status === "booked") return privately(say.tasterText.alreadyBooked(taster.title));
        if (result.signup.status === "offered") return privately(say.tasterText.alreadyOffered);
        return privately(say.tasterText.alreadyWaiting(result.position));
      },
    }),
    defineAction({
      action: "taster.cancel",
      access: "member",
      args: tasterArgs,
      load: loadTaster,
      async run(ctx, { actor, target }) {
        const { taster, was } = await cancelPlace(ctx, { personId: actor.person.id, tasterId: target.id });
        if (was === "waitlisted") return privately(say.tasterText.leftWaitingList(taster.title));
        const view = viewOf(taster, [], await timeZoneOf(ctx.db, actor.person.id));
        return { private: say.placeCancelled(view, inviteFor(taster, ctx.clock.now(), true)) };
      },
    }),
    defineAction({
      action: "taster.cancel_session.ask",
      access: "taster.manage",
      args: tasterArgs,
      load: loadTaster,
      async run(ctx, { actor, target: taster }) {
        if (taster.cancelledAt) throw new WesaidError("already_done", say.tasterText.alreadyCancelled(taster.title));
        if (ctx.clock.now().getTime() >= taster.endsAt.getTime()) throw new WesaidError("closed", say.tasterText.alreadyOver);
        return { private: await cancelSessionAsk(ctx, actor, taster) };
      },
    }),
    defineAction({
      action: "taster.cancel_session",
      access: "taster.manage",
      args: cancelSessionArgs,
      labels: CANCEL_LABELS,
      load: loadTaster,
      async run(ctx, { actor, args, target: taster }) {
        const result = await cancelSession(ctx, actor.person.id, args);
        return { replaceSource: line(say.tasterText.sessionCancelled(taster.title, result.told, result.notTold)) };
      },
    }),
    defineAction({
      action: "taster.accept",
      access: "member",
      args: signupArgs,
      load: loadOwnSignup,
      storesWhatTheySay: true,
      async run(ctx, { actor, target }) {
        const { taster } = await acceptOffer(ctx, { personId: actor.person.id, signupId: target.id });
        return { replaceSource: await confirmationMessage(ctx.db, taster, await timeZoneOf(ctx.db, actor.person.id), ctx.clock.now()) };
      },
    }),
    defineAction({
      action: "taster.decline",
      access: "member",
      args: signupArgs,
      load: loadOwnSignup,
      async run(ctx, { actor, target }) {
        await declineOffer(ctx, { personId: actor.person.id, signupId: target.id });
        return { replaceSource: line(say.tasterText.offerDeclined) };
      },
    }),
    defineAction({
      action: "taster.followup",
      access: "member",
      args: followUpArgs,
      labels: FOLLOW_UP_LABELS,
      load: loadOwnSignup,
      storesWhatTheySay: true,
      async run(ctx, { args, target }) {
        return { replaceSource: say.followUpSaved(await saveFollowUp(ctx, target, args)) };
      },
    }),
    defineAction({
      action: "taster.attendance",
      access: "taster.attendance",
      args: attendanceArgs,
      labels: { attended: "Came" },
      load: loadSignup,
      async run(ctx, { actor, args, target }) {
        const { name } = await markAttendance(ctx, actor.person.id, target, args.attended === "yes");
        return privately(say.tasterText.attendanceSaved(name, args.attended === "yes"));
      },
    }),
    defineAction({
      action: "taster.attendance.pick",
      access: "taster.attendance",
      args: z.object({}),
      // Lists sessions from every programme where the person marks attendance.
      load: async (_ctx, _args, actor) => ({ programmeId: programmeWhereCan(actor, "taster.attendance"), target: undefined }),
      run: (ctx, { actor }) => attendancePicker(ctx, actor),
    }),
    defineAction({
      action: "taster.attendance.list",
      access: "taster.attendance",
      args: tasterArgs,
      load: loadTaster,
      async run(ctx, { actor, target }) {
        return { private: await attendanceSheet(ctx, actor, target) };
      },
    }),
    defineAction({
      action: "taster.attendance.save",
      access: "taster.attendance",
      args: attendanceFormArgs,
      labels: { attended: "Who came" },
      load: loadTaster,
      async run(ctx, { actor, args, target: taster }) {
        const came = await saveAttendance(ctx, actor.person.id, taster, new Set(args.attended));
        return { replaceSource: await attendanceSheet(ctx, actor, taster), private: line(say.tasterText.attendanceAllSaved(came)) };
      },
    }),
  ],
  commands: [
    {
      name: "taster",
      aliases: ["tasters"],
      usage: "taster",
      summary: "See taster sessions coming up and sign up. Facilitators: taster new adds one, taster attendance marks who came.",
      toAction(rest) {
        const word = rest.trim().toLowerCase();
        if (word === "new") return { action: "taster.new", args: {} };
        if (word === "attendance") return { action: "taster.attendance.pick", args: {} };
        return { action: "taster.list", args: {} };
      },
    },
  ],
};
