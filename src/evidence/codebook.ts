/**
 * Every column of every export, in order, with what it holds. The README's
 * codebook says the same; test/core/evidence/exports.test.ts checks they agree.
 */
export type ExportKind = "answers" | "ideas" | "tasters" | "debriefs" | "codes";
export type Column = { column: string; means: string };

const c = (column: string, means: string): Column => ({ column, means });

const PERSON = c("person", "pseudonymous id of the person (p- and 16 hex digits): the same person has the same id throughout one programme, a different one in another. Empty for anonymous answers and for people who have left");
const ROLE = c("role", "the person's role, or \"Someone\" where fewer than MIN_GROUP_SIZE people of that role could have done it");
const WITHHELD = c("text_withheld", "why written words are left out: \"no consent to quote\", \"anonymous\", or empty when they are included");
const CODES = c("theme_codes", "theme codes given by evaluators (their short names, as in the codes export), separated by \"; \"");
const PROGRAMME = [c("programme_id", "the programme's id"), c("programme", "the programme's name")];

export const CODEBOOK: Record<ExportKind, Column[]> = {
  answers: [
    c("answer_id", "the answer's id"),
    ...PROGRAMME,
    c("series_id", "the set of questions' id"),
    c("series", "the set of questions' title"),
    c("stage", "baseline, mid-point or end, for a series marked with a stage; otherwise empty"),
    c("anonymous", "yes when the set of questions is anonymous"),
    c("occurrence_id", "the id of the round of questions"),
    c("occurrence", "when the round of questions was sent (UTC, ISO 8601)"),
    c("question_number", "the question's position in the set, from 0"),
    c("question", "the question's words"),
    c("question_type", "text, scale, single (one choice) or multi (several choices)"),
    PERSON,
    ROLE,
    c("answer_number", "the number chosen, for a scale question"),
    c("answer_choices", "the choices made, separated by \"; \""),
    c("answer_text", "the written answer (only from people who agreed to be quoted)"),
    WITHHELD,
    c("answered_at", "when it was answered (UTC; for anonymous answers, the day the questions were sent)"),
    c("updated_at", "when it was last changed (UTC; for anonymous answers, the day the questions were sent)"),
    CODES,
  ],
  ideas: [
    c("idea_id", "the idea's id"),
    ...PROGRAMME,
    c("idea_number", "the idea's number in the programme (#12)"),
    c("event", "raised, status (a change of status), we_did (a \"we did\" update about it) or reaction (the raiser's answer to an update)"),
    c("at", "when the event happened (UTC)"),
    c("source", "for raised: direct, prompt_answer, debrief or message"),
    PERSON,
    ROLE,
    c("status_from", "for status: the status before"),
    c("status_to", "for raised: received; for status: the new status"),
    c("status_now", "the idea's status today"),
    c("due_at", "when an answer is due (UTC), if set"),
    c("update_id", "for we_did and reaction: the update's id"),
    c("answered", "for reaction: yes, partly or no (did the update answer the idea)"),
    c("text", "the idea (raised), the reason (status), the update (we_did) or the comment (reaction); only from people who agreed to be quoted"),
    WITHHELD,
    CODES,
  ],
  tasters: [
    c("signup_id", "the sign-up's id"),
    ...PROGRAMME,
    c("taster_id", "the taster session's id"),
    c("taster", "the taster session's title"),
    c("starts_at", "when the session starts (UTC)"),
    c("cancelled", "yes when the session was cancelled"),
    PERSON,
    ROLE,
    c("status", "booked, waitlisted, offered, cancelled or expired"),
    c("queued_at", "when the person signed up (UTC)"),
    c("offered_at", "when a freed place was offered (UTC)"),
    c("offer_expires_at", "when that offer ran out (UTC)"),
    c("attended", "yes, no, or empty if not marked"),
    c("expectations_met", "was it what you expected: yes, partly or no"),
    c("would_take_part", "would you take part again: yes, maybe or no"),
    c("comment", "the follow-up comment (only from people who agreed to be quoted)"),
    WITHHELD,
    CODES,
  ],
  debriefs: [
    c("debrief_id", "the debrief's id"),
    ...PROGRAMME,
    c("panel_id", "the panel's id"),
    c("panel", "the panel's title"),
    c("panel_starts_at", "when the panel started (UTC)"),
    c("panel_kind", "panel, or learning_set for a meeting of an action learning set (the debrief is the reflection after it)"),
    c("learning_set", "for a learning set's meeting: the set's name"),
    c("meeting_number", "for a learning set's meeting: which meeting (1, 2, ...)"),
    PERSON,
    ROLE,
    c("listened_to", "did you feel listened to: yes, partly or no"),
    c("went_well", "what went well (only from people who agreed to be quoted)"),
    c("could_improve", "what could be better (same rule)"),
    c("change_next_time", "what to change next time (same rule)"),
    WITHHELD,
    c("submitted_at", "when the debrief was sent (UTC)"),
    c("updated_at", "when it was last changed (UTC)"),
    CODES,
  ],
  codes: [
    c("assignment_id", "the id of this code given to this thing"),
    ...PROGRAMME,
    c("kind", "what was coded: answer, idea or debrief"),
    c("target_id", "its id: the answer_id, idea_id or debrief_id in the other exports"),
    c("code", "the code's short name: framework:item for a framework's code (ladder:co_design), own:name for the evaluators' own"),
    c("code_label", "the code's name"),
    c("framework", "the framework the code comes from (src/frameworks.ts), empty for the evaluators' own codes"),
    c("code_retired", "yes when the code is no longer given"),
    c("coded_at", "when the code was given (UTC)"),
  ],
};
