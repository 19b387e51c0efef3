import { z } from "zod";
import { ROLES } from "../roles.ts";
import { optionalText, text } from "../validation.ts";
import { whenField } from "../calendar/index.ts";
import { offerHoldText, tasterText } from "./catalogue.ts";
import { MAX_OFFER_HOLD_HOURS, MIN_OFFER_HOLD_HOURS } from "./rules.ts";

/** What a new taster session needs, checked against `now` and read in the organiser's time zone. */

export const LABELS = {
  title: "Name of the session",
  whatToExpect: "What to expect",
  audienceRoles: "Who is it for",
  startsAt: "Starts",
  endsAt: "Ends",
  location: "Where",
  onlineUrl: "Online link",
  accessibility: "Access",
  capacity: "How many places",
  offerHoldHours: "Hold a freed place for",
};

const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

/** How long a freed place is held, in whole hours from an hour to a week; blank: the default. One rule for tasters and learning sets. */
export const offerHoldHoursField = z.preprocess(
  blankToUndefined,
  z
    .union([z.string(), z.number()])
    .optional()
    .transform((v, c) => {
      if (v === undefined) return undefined;
      const hours = typeof v === "number" ? v : Number(v.trim());
      if (Number.isInteger(hours) && hours >= MIN_OFFER_HOLD_HOURS && hours <= MAX_OFFER_HOLD_HOURS) return hours;
      c.addIssue({ code: "custom", message: offerHoldText.bounds });
      return z.NEVER;
    }),
);

/** Roles from a form (one per line, or with commas) or from code (an array). */
export const roleList = z.preprocess(
  (v) => (typeof v === "string" ? v.split(/[\n,]/).map((s) => s.trim()).filter(Boolean) : (v ?? [])),
  z.array(z.enum(ROLES)).max(ROLES.length),
);

export function tasterInputSchema(now: Date, timeZone: string) {
  return z
    .object({
      programmeId: z.string().min(1),
      title: text(120),
      whatToExpect: text(2000),
      audienceRoles: roleList,
      startsAt: whenField(LABELS.startsAt, timeZone, tasterText.badTime),
      endsAt: whenField(LABELS.endsAt, timeZone, tasterText.badTime),
      location: optionalText(300),
      onlineUrl: optionalText(500),
      accessibility: optionalText(1000),
      capacity: z.coerce.number().int().min(1).max(1000),
      offerHoldHours: offerHoldHoursField,
    })
    .superRefine((v, c) => {
      if (v.startsAt.getTime() <= now.getTime()) c.addIssue({ code: "custom", message: tasterText.startInPast, path: ["startsAt"] });
      if (v.endsAt.getTime() <= v.startsAt.getTime()) c.addIssue({ code: "custom", message: tasterText.endBeforeStart, path: ["endsAt"] });
      if (!v.location && !v.onlineUrl) c.addIssue({ code: "custom", message: tasterText.whereNeeded, path: ["location"] });
      if (v.onlineUrl && !/^https?:\/\/\S+$/i.test(v.onlineUrl)) c.addIssue({ code: "custom", message: tasterText.badLink, path: ["onlineUrl"] });
    });
}

export type TasterInput = z.input<ReturnType<typeof tasterInputSchema>>;

const field = z.string().max(4000).optional();

/**
 * The "new taster" form as it arrives: text fields only. Times are read in the
 * organiser's time zone and checked against now by `tasterInputSchema` when the taster is made.
 */
export const tasterForm = z.object({
  programmeId: z.string().min(1).max(100).optional(),
  title: field,
  whatToExpect: field,
  audienceRoles: field,
  startsAt: field,
  endsAt: field,
  location: field,
  onlineUrl: field,
  accessibility: field,
  capacity: field,
  offerHoldHours: field,
});

export const CANCEL_LABELS = { reason: "Why it is cancelled" };
export const cancelSessionArgs = z.object({ tasterId: z.string().min(1).max(100), reason: text(500) });

export const FOLLOW_UP_LABELS = { expectationsMet: "Was it what you expected?", wouldTakePart: "Would you take part?", comment: "Anything else" };
export const followUpArgs = z.object({
  signupId: z.string().min(1).max(100),
  expectationsMet: z.enum(["yes", "partly", "no"]),
  wouldTakePart: z.enum(["yes", "maybe", "no"]),
  comment: optionalText(2000),
});
export type FollowUpAnswer = z.output<typeof followUpArgs>;
