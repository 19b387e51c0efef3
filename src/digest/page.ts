import type { CountRow } from "../suppression.ts";
import type { DigestData, YesPartlyNo } from "./data.ts";
import type { Chart } from "./charts.ts";

/**
 * The digest as one self-contained web page (no outside files, no scripts):
 * headings in order, tables with captions and header cells, every chart an
 * <img> with alt text followed by a table of the same numbers, dark text on
 * white, and a print stylesheet. Built only from the digest's own figures,
 * which never hold a name.
 */

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
const date = (iso: string) => new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
const count = (n: number | null) => (n === null ? "hidden" : String(n));
const percent = (share: number | null) => (share === null ? "not shown" : `${Math.round(share * 100)}%`);

type Table = { caption: string; head: string[]; rows: string[][] };

/** A table whose first column names each row: column headers scope="col", row headers scope="row". */
function table(t: Table): string {
  if (t.rows.length === 0) return `<p>${escape(t.caption)}: nothing this week.</p>`;
  const head = t.head.map((h) => `<th scope="col">${escape(h)}</th>`).join("");
  const rows = t.rows.map(([first, ...rest]) => `<tr><th scope="row">${escape(first ?? "")}</th>${rest.map((c) => `<td>${escape(c)}</td>`).join("")}</tr>`).join("\n");
  return `<table>\n<caption>${escape(t.caption)}</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`;
}

const byRole = (caption: string, rows: CountRow[], what = "People") => table({ caption, head: ["Role", what], rows: rows.map((r) => [r.label, count(r.hidden ? null : r.people)]) });
const ypn = (v: YesPartlyNo | null) => (v ? `yes ${v.yes}, partly ${v.partly}, no ${v.no}` : "hidden");

function figure(chart: Chart, n: number): string {
  return `<figure aria-labelledby="chart-${n}">
<figcaption id="chart-${n}">${escape(chart.title)}</figcaption>
<img src="data:image/png;base64,${chart.png.toString("base64")}" alt="${escape(chart.alt)}" width="${Math.round(chart.width / 1.5)}">
${table({ caption: `The numbers in "${chart.title}"`, head: chart.table.head, rows: chart.table.rows })}
</figure>`;
}

function sections(d: DigestData): string[] {
  const f = d.feedback;
  return [
    `<h2>Questions</h2>`,
    table({
      caption: "Questions sent this week",
      head: ["Question set", "Sent", "Answered", "Response rate"],
      rows: d.prompts.map((p) => [`${p.series} (${date(p.scheduledFor)})`, String(p.sent), count(p.answered), percent(p.responseRate)]),
    }),
    `<h2>Ideas and what we did</h2>`,
    table({
      caption: "Ideas this week",
      head: ["Measure", "Number"],
      rows: [
        ["New ideas", String(f.newItems)],
        ["Ideas replied to for the first time", String(f.firstResponse.responded)],
        ["Median hours to a first reply", f.firstResponse.medianHours === null ? "none yet" : String(f.firstResponse.medianHours)],
        ["Ideas waiting for a first reply", String(f.waitingForFirstResponse)],
        ["Ideas overdue", String(f.overdue.length)],
        ["\"We did\" updates posted", String(f.updatesPosted)],
        ["Did the update answer it? (people who raised the ideas)", ypn(f.reactions)],
        ["Actions finished", String(f.actions.done)],
        ["Actions finished that were owned together", `${f.actions.coOwned} (${percent(f.actions.coOwnedShare)})`],
      ],
    }),
    byRole("New ideas by the role of the person who raised them", f.newByRole, "Ideas"),
    table({
      caption: `Open ideas that matter to other people too (most support first; ${f.support.ideasWithSupport} in all; "this matters to me too" said ${f.support.followsThisWeek} times this week)`,
      head: ["Idea", "People who said it matters to them too"],
      rows: f.support.ideas.map((i) => [`#${i.number}`, String(i.supporters)]),
    }),
    byRole("People who follow an open idea, by role", f.support.supportersByRole),
    `<h2>Taster sessions</h2>`,
    table({
      caption: "Taster sessions this week",
      head: ["Session", "Booked", "Waiting list", "Came", "Was it what they expected?"],
      rows: d.tasters.sessions.map((t) => [`${t.title} (${date(t.startsAt)})`, String(t.booked), String(t.waitlisted), String(t.attended), ypn(t.expectations)]),
    }),
    `<h2>Panels</h2>`,
    table({
      caption: "Panels this week",
      head: ["Panel", "Members", "Debriefs", "Felt listened to"],
      rows: d.panels.map((p) => [`${p.title} (${date(p.startsAt)})`, count(p.members), count(p.debriefs), ypn(p.listenedTo)]),
    }),
    `<h2>Who took part</h2>`,
    byRole("People who took part this week, by role", d.participation.byRole),
    `<h2>In their words</h2>`,
    d.quotes.withheld || d.quotes.quotes.length === 0
      ? `<p>No words are quoted this week.</p>`
      : `<ul class="quotes">${d.quotes.quotes.map((q) => `<li><blockquote><p>${escape(q.text)}</p></blockquote><p class="who">${escape(q.label)}</p></li>`).join("\n")}</ul>`,
    `<h2>Checking with people</h2>`,
    table({
      caption: "Checks with people sent this week or still open: did we get this right?",
      head: ["Check", "Asked", "Yes", "Partly", "No", "No reply", "By role"],
      rows: d.memberChecks.map((c) => {
        const a = c.all;
        const roles = c.byRole.length > 1 ? c.byRole.map((r) => `${r.label}: ${r.value ? `${r.people} asked, yes ${r.value.yes}, partly ${r.value.partly}, no ${r.value.no}, no reply ${r.value.noReply}` : "hidden"}`).join("; ") : "roles not shown";
        return [`${c.title} (sent ${date(c.sentAt)}${c.open ? ", still open" : ""})`, count(c.asked), ...(a ? [a.yes, a.partly, a.no, a.noReply].map(String) : ["hidden", "hidden", "hidden", "hidden"]), a ? roles : "hidden"];
      }),
    }),
    `<h2>Theme codes so far</h2>`,
    table({
      caption: "Theme codes given so far, by the role of the people whose words were coded",
      head: ["Code", "Times given", "People", "By role"],
      rows: d.codes.map((c) => [c.label, count(c.given), count(c.people), c.given === null ? "hidden" : c.byRole.map((r) => `${r.label}: ${count(r.hidden ? null : r.people)}`).join("; ")]),
    }),
  ];
}

/** The whole page for one stored digest. */
export function digestPage(d: DigestData, charts: readonly Chart[], options: { expires: Date }): string {
  const title = `${d.programme}: weekly summary for the week from ${date(d.weekStart)}`;
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${escape(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escape(title)}</h1>
<p>What happened in this week, for the evaluation team. Everything here is shown by role, never by name. A figure shown as "hidden" is about fewer than ${d.minGroupSize} people, so it is left out to protect them.</p>
<p class="note">This link works until ${escape(date(options.expires.toISOString()))}. Please do not pass it on.</p>
<h2>Charts</h2>
${charts.map(figure).join("\n")}
${sections(d).join("\n")}
</main>
</body>
</html>
`;
}

/** The polite refusal for a link that is wrong or too old. */
export function refusedPage(reason: "bad" | "expired"): string {
  const say =
    reason === "expired"
      ? "This link to the weekly summary is too old. Links work for 7 days. Type \"digest\" to wesaid in your chat to see the summary again."
      : "This link to the weekly summary does not work. It may have been copied only in part. Please use the link in your chat message, or type \"digest\" to wesaid.";
  return `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>This link does not work</title><style>${STYLE}</style></head>
<body><main><h1>This link does not work</h1><p>${escape(say)}</p></main></body>
</html>
`;
}

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a; background: #fff; line-height: 1.5; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
h1 { font-size: 1.75rem; } h2 { font-size: 1.35rem; margin-top: 2rem; border-bottom: 2px solid #0072B2; }
table { border-collapse: collapse; margin: 1rem 0; width: 100%; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
th, td { border: 1px solid #767676; padding: 0.35rem 0.6rem; text-align: left; vertical-align: top; }
thead th { background: #f0f0f0; }
figure { margin: 1.5rem 0; }
figcaption { font-weight: 700; font-size: 1.1rem; }
img { max-width: 100%; height: auto; border: 1px solid #ccc; }
.note { color: #4a4a4a; }
blockquote { margin: 0; font-style: italic; }
.quotes { list-style: none; padding: 0; } .quotes li { margin-bottom: 1rem; } .who { margin: 0; color: #4a4a4a; }
a { color: #005a8c; }
:focus-visible { outline: 3px solid #D55E00; outline-offset: 2px; }
@media print {
  body { font-size: 11pt; } main { max-width: none; padding: 0; }
  h2 { break-after: avoid; } figure, table, tr { break-inside: avoid; }
  .note { display: none; }
}
`;
