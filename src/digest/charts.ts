import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/**
 * The digest's charts, drawn in-process: Vega-Lite spec → Vega → SVG → PNG
 * (resvg). Pure: data in, picture out; nothing here reads the database.
 *
 * The font ships with wesaid (npm package dejavu-fonts-ttf) and system fonts
 * are not read, so a chart looks the same on every machine and in Docker.
 * Colours are the Okabe–Ito colour-blind-safe palette, and every mark carries
 * its number as a label, so no meaning rests on colour alone.
 */

/** A chart, its alt text, and the same numbers as a table (for the web page: "hidden" where a figure is). */
export type Chart = { png: Buffer; alt: string; title: string; width: number; height: number; table: { head: string[]; rows: string[][] } };

/** One figure of a series in one week; null is a figure hidden to protect a small group. */
export type WeeklyPoint = { week: string; series: string; value: number | null };
/** One step of a funnel, or one bar of a bar chart. */
export type Bar = { label: string; value: number | null };
/** One stage's answers to a 0–10 question, per group. */
export type StagePoint = { stage: string; series: string; value: number | null };

const require = createRequire(import.meta.url);
const FONT_DIR = join(dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
const FONT_FILES = [join(FONT_DIR, "DejaVuSans.ttf"), join(FONT_DIR, "DejaVuSans-Bold.ttf")];
const FONT = "DejaVu Sans";

/** Okabe & Ito (2008): told apart with every common kind of colour blindness. */
export const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];
const WIDTH = 640;
const HEIGHT = 300;
// Sharp on a phone, yet small enough (about 30 to 60 KB) to sit in the outbox.
const SCALE = 1.5;

const CONFIG = {
  font: FONT,
  background: "#ffffff",
  view: { stroke: null },
  axis: { labelFontSize: 13, titleFontSize: 13, labelColor: "#1a1a1a", titleColor: "#1a1a1a", gridColor: "#dddddd" },
  legend: { labelFontSize: 13, titleFontSize: 13, orient: "bottom", direction: "horizontal", columns: 2, labelLimit: 0, symbolSize: 120 },
  title: { fontSize: 16, anchor: "start", color: "#1a1a1a", offset: 12 },
  range: { category: PALETTE },
} as const;

/** Draws a Vega-Lite spec as a PNG. */
export async function renderSpec(spec: TopLevelSpec): Promise<{ png: Buffer; width: number; height: number }> {
  const { spec: compiled } = compile({ ...spec, config: { ...CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec);
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG(SCALE);
  view.finalize();
  const image = new Resvg(svg, { font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT }, fitTo: { mode: "original" } }).render();
  return { png: image.asPng(), width: image.width, height: image.height };
}

const shown = (value: number | null) => (value === null ? "hidden" : String(value));
const list = (values: (number | null)[]) => values.map(shown).join(", ");
const HIDDEN_NOTE = "Hidden means fewer people than the smallest group we show, so there is a gap.";
const withHiddenNote = (alt: string, values: (number | null)[]) => (values.some((v) => v === null) ? `${alt} ${HIDDEN_NOTE}` : alt);
const inOrder = <T>(values: T[]) => [...new Set(values)];

/** A line per series over the weeks, each point labelled with its number; hidden figures break the line. */
export async function weeklyLines(title: string, points: WeeklyPoint[], options: { yTitle: string }): Promise<Chart> {
  const weeks = inOrder(points.map((p) => p.week));
  const series = inOrder(points.map((p) => p.series));
  const encoding = {
    x: { field: "week", type: "ordinal", sort: weeks, title: "Week starting", axis: { labelAngle: 0 } },
    y: { field: "value", type: "quantitative", title: options.yTitle, axis: { tickMinStep: 1 } },
  };
  const key = { field: "series", type: "nominal", sort: series, title: null };
  // One legend (by colour); dashes and point shapes tell the lines apart without it.
  const unlisted = { ...key, legend: null };
  const { png, width, height } = await renderSpec({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    width: WIDTH,
    height: HEIGHT,
    data: { values: points },
    encoding,
    layer: [
      // A null value makes a gap in the line: Vega-Lite does not join across it.
      { mark: { type: "line", strokeWidth: 2.5, invalid: "break-paths-show-domains" }, encoding: { color: key, strokeDash: unlisted } },
      { mark: { type: "point", filled: true, size: 80, opacity: 1 }, transform: [{ filter: "datum.value !== null" }], encoding: { color: key, shape: unlisted } },
      { mark: { type: "text", dy: -12, fontSize: 12, fill: "#1a1a1a" }, transform: [{ filter: "datum.value !== null" }], encoding: { text: { field: "value", type: "quantitative" } } },
    ],
  } as unknown as TopLevelSpec);
  const at = (w: string, s: string) => points.find((p) => p.week === w && p.series === s)?.value ?? null;
  const parts = series.map((s) => `${s} ${list(weeks.map((w) => at(w, s)))}`);
  const alt = withHiddenNote(`${title} over ${weeks.length} ${weeks.length === 1 ? "week" : "weeks"} (${weeks.join(", ")}): ${parts.join("; ")}.`, points.map((p) => p.value));
  const table = { head: ["Week starting", ...series], rows: weeks.map((w) => [w, ...series.map((s) => shown(at(w, s)))]) };
  return { png, width, height, title, alt, table };
}

/** Horizontal bars in the order given, each labelled with its number. */
export async function bars(title: string, items: Bar[], options: { xTitle: string }): Promise<Chart> {
  const labels = items.map((i) => i.label);
  const { png, width, height } = await renderSpec({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    width: WIDTH,
    height: Math.max(120, items.length * 44),
    data: { values: items.map((i) => ({ ...i, at: i.value ?? 0, text: shown(i.value) })) },
    encoding: {
      y: { field: "label", type: "nominal", sort: labels, title: null, axis: { labelLimit: 260 } },
      x: { field: "value", type: "quantitative", title: options.xTitle, axis: { tickMinStep: 1 } },
    },
    layer: [
      { mark: { type: "bar", color: PALETTE[0], height: 26 } },
      { mark: { type: "text", align: "left", dx: 6, fontSize: 13, fill: "#1a1a1a" }, encoding: { text: { field: "text" }, x: { field: "at", type: "quantitative" } } },
    ],
  } as unknown as TopLevelSpec);
  const alt = withHiddenNote(`${title}: ${items.map((i) => `${i.label} ${shown(i.value)}`).join(", ")}.`, items.map((i) => i.value));
  return { png, width, height, title, alt, table: { head: ["", options.xTitle], rows: items.map((i) => [i.label, shown(i.value)]) } };
}

/** Grouped bars: one group per stage, a bar per series. */
export async function stageBars(title: string, points: StagePoint[], options: { yTitle: string; max?: number }): Promise<Chart> {
  const stages = inOrder(points.map((p) => p.stage));
  const series = inOrder(points.map((p) => p.series));
  const { png, width, height } = await renderSpec({
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    width: WIDTH,
    height: HEIGHT,
    data: { values: points.map((p) => ({ ...p, at: p.value ?? 0, text: shown(p.value) })) },
    encoding: {
      x: { field: "stage", type: "nominal", sort: stages, title: null, axis: { labelAngle: 0 } },
      xOffset: { field: "series", type: "nominal", sort: series },
      y: { field: "value", type: "quantitative", title: options.yTitle, ...(options.max !== undefined ? { scale: { domain: [0, options.max] } } : {}) },
      color: { field: "series", type: "nominal", sort: series, title: null },
    },
    layer: [{ mark: { type: "bar" } }, { mark: { type: "text", dy: -8, fontSize: 12, fill: "#1a1a1a" }, encoding: { text: { field: "text" }, y: { field: "at", type: "quantitative" }, color: { value: "#1a1a1a" } } }],
  } as unknown as TopLevelSpec);
  const at = (stage: string, s: string) => points.find((p) => p.stage === stage && p.series === s)?.value ?? null;
  const parts = stages.map((stage) => `${stage}: ${series.map((s) => `${s} ${shown(at(stage, s))}`).join(", ")}`);
  const alt = withHiddenNote(`${title}. ${parts.join("; ")}.`, points.map((p) => p.value));
  const table = { head: ["Stage", ...series], rows: stages.map((stage) => [stage, ...series.map((s) => shown(at(stage, s)))]) };
  return { png, width, height, title, alt, table };
}
