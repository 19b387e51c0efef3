import { heading, message, note, para, type Message } from "../messages/model.ts";

export const exportText = {
  badKind: "Say what to export: answers, ideas, tasters, debriefs, codes or checks (member checks).",
  badFormat: "Say which kind of file: csv (for Excel) or jsonl.",
  badDate: "Write dates like 2026-10-01 (year, month, day).",
  backwards: "The from date must come before the to date.",
  badQuery: "Ask with ?programme=<its id>, and from and to dates written like 2026-10-01.",
  noToken: "Send your export token in an Authorization header: Bearer <token>. Make one in chat with export token.",
  notYours: "Your token is not for this programme, or you can no longer export from it.",
  notFound: "Ask for /exports/answers.csv, ideas, tasters, debriefs or codes, with .csv or .jsonl at the end.",
};

const KIND_WORDS: Record<string, string> = { answers: "answers", ideas: "ideas and what happened to them", tasters: "taster sign-ups", debriefs: "panel debriefs", codes: "theme codes given", "member-checks": "answers to member checks" };

function rangeWords(from?: string, to?: string): string {
  if (from && to) return `from ${from} to ${to}`;
  if (from) return `from ${from} until now`;
  if (to) return `up to ${to}`;
  return "from the start";
}

const privacyNote =
  "Names are never in it. Each person has a code that stays the same in this programme. " +
  "Words are left out for people who did not agree to be quoted. Roles with too few people say Someone.";

/** The export, as a file in the person's private chat. */
export function exportFile(p: { what: string; from?: string; to?: string; filename: string; mimeType: string; content: string; rows: number }): Message {
  return message(
    `Your export of ${KIND_WORDS[p.what]}`,
    heading(`Your export of ${KIND_WORDS[p.what]}`),
    para(`It has ${p.rows} ${p.rows === 1 ? "row" : "rows"}, ${rangeWords(p.from, p.to)}. Only you can see this file.`),
    { kind: "file", filename: p.filename, mimeType: p.mimeType, content: p.content, label: `Download ${p.filename}` },
    note(privacyNote),
    note("The columns are listed in the wesaid guide, under Exports."),
  );
}

/** The export is too big for chat: how to get it from the web address instead. */
export function exportTooBig(p: { what: string; from?: string; to?: string; limitMb: number; link: string }): Message {
  return message(
    `Your export is too big for chat`,
    heading("This export is too big for chat"),
    para(`Files over ${p.limitMb} MB are not sent in chat. You can download it from this link instead: ${p.link}`),
    para("The link needs your export token. Type export token to get one. Then use it as shown in the wesaid guide, under Exports."),
    note(privacyNote),
  );
}

/** A new token, shown once. */
export function tokenMade(token: string, programmeId: string): Message {
  return message(
    "Your export token",
    heading("Your export token"),
    para(`Here it is: ${token}`),
    para(`It works for one programme. Its id is ${programmeId}.`),
    para("Copy it now. We will not show it again. We only keep a scrambled copy."),
    para("Keep it secret, like a password. Anyone with it can download this programme's exports."),
    note("Type export token revoke to stop it working."),
  );
}

export function tokensRevoked(count: number): Message {
  const text = count === 0 ? "You had no export tokens in use. Nothing changed." : `Done. ${count === 1 ? "Your export token" : `Your ${count} export tokens`} will not work any more.`;
  return message(text, para(text));
}

export const commandHelp = {
  export: {
    usage: "export <answers|ideas|tasters|debriefs|codes|checks> [csv|jsonl] [from 2026-10-01] [to 2026-10-31]",
    summary: "Get a file of what people said, with codes instead of names. export token gives a key for scripts.",
  },
};
