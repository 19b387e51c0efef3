import { limit } from "./render.ts";

/** A calendar invite as an "add to Outlook calendar" link: Teams cards cannot open data: links or carry files. */

export type InviteFields = { summary: string; start: string; end?: string; location?: string; description?: string };

/** Reads the fields of the first VEVENT an Outlook link needs (unfolding lines, unescaping text). */
export function parseInvite(ics: string): InviteFields | null {
  const lines = ics.replace(/\r\n[ \t]/g, "").replace(/\n[ \t]/g, "").split(/\r?\n/);
  const fields = new Map<string, string>();
  let inEvent = false;
  for (const line of lines) {
    if (line === "BEGIN:VEVENT") inEvent = true;
    else if (line === "END:VEVENT") break;
    else if (inEvent) {
      const colon = line.indexOf(":");
      if (colon < 0) continue;
      const name = line.slice(0, colon).split(";")[0]!.toUpperCase();
      if (!fields.has(name)) fields.set(name, line.slice(colon + 1));
    }
  }
  const start = icsDate(fields.get("DTSTART"));
  if (!start) return null;
  const text = (name: string) => {
    const value = fields.get(name);
    return value === undefined ? undefined : value.replace(/\\n/gi, "\n").replace(/\\([,;\\])/g, "$1");
  };
  return { summary: text("SUMMARY") ?? "", start, end: icsDate(fields.get("DTEND")), location: text("LOCATION"), description: text("DESCRIPTION") };
}

/** 20260310T140000Z -> 2026-03-10T14:00:00Z (only UTC times, as wesaid writes them). */
function icsDate(value: string | undefined): string | undefined {
  const m = value ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value.trim()) : null;
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z` : undefined;
}

export function outlookComposeLink(event: InviteFields): string {
  const params = new URLSearchParams({ path: "/calendar/action/compose", rru: "addevent", subject: limit(event.summary, 200), startdt: event.start });
  if (event.end) params.set("enddt", event.end);
  if (event.location) params.set("location", limit(event.location, 200));
  if (event.description) params.set("body", limit(event.description, 1_000));
  return `https://outlook.office.com/calendar/0/deeplink/compose?${params.toString()}`;
}
