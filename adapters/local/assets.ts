import { readFile } from "node:fs/promises";

/** The playground page: plain files under adapters/local/public, served from memory. No external assets. */
export type PageAssets = { html: string; script: string; style: string };

export async function loadAssets(): Promise<PageAssets> {
  const dir = new URL("./public/", import.meta.url);
  const [html, script, style] = await Promise.all(
    ["index.html", "app.js", "style.css"].map((name) => readFile(new URL(name, dir), "utf8")),
  );
  return { html: html!, script: script!, style: style! };
}
