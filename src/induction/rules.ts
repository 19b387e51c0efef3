/** The induction's decisions, pure: which step a newcomer is due, from when they joined and agreed, what was sent, and now. */

/** The steps, in the order they are sent: one a day from the day the person agreed to take part. */
export const STEPS = ["about", "decided", "ideas", "coming-up"] as const;
export type StepName = (typeof STEPS)[number];

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
/** Step n is due n days after the start. */
export const STEP_EVERY_MS = DAY;
/** However late a step is (a pause, quiet hours), the next waits this long after it, so they never arrive together. */
export const MIN_GAP_MS = 20 * HOUR;
/** Only the first two weeks after joining: later, the introduction is no longer news, and `catch-up` is there. */
export const WINDOW_MS = 14 * DAY;

export type Sent = { step: number; sentAt: Date };

export type InductionState = {
  joinedAt: Date;
  /** When they first said yes to taking part in this programme; null if they have not. */
  consentedAt: Date | null;
  /** Steps already claimed for them. */
  sent: readonly Sent[];
  now: Date;
};

/** The step due now, or null. Steps go in order, one at a time; paused, stopped and quiet hours are the gate's to say. */
export function dueStep(s: InductionState): number | null {
  if (!s.consentedAt) return null;
  const next = s.sent.reduce((n, x) => Math.max(n, x.step + 1), 0);
  if (next >= STEPS.length) return null;
  const start = Math.max(s.joinedAt.getTime(), s.consentedAt.getTime());
  const now = s.now.getTime();
  if (now - s.joinedAt.getTime() > WINDOW_MS) return null;
  if (now < start + next * STEP_EVERY_MS) return null;
  const previous = s.sent.find((x) => x.step === next - 1);
  if (previous && now < previous.sentAt.getTime() + MIN_GAP_MS) return null;
  return next;
}

/** The opt-out scope of "Stop the introduction", read by the gate like any other. */
export const inductionScope = (programmeId: string) => `induction:${programmeId}`;
