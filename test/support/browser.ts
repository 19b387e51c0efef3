import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

/**
 * A real headless Chromium for browser tests: Debian's `chromium` driven by
 * playwright-core (no browser download). Nothing here talks to the network
 * beyond the app under test on 127.0.0.1.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * On a developer's machine without Chromium the browser tests are skipped, and
 * say so; in CI (CI=true) a missing browser is a failure, never a quiet skip.
 */
export const browserAvailable = existsSync(CHROMIUM_PATH);
if (!browserAvailable) {
  if (process.env.CI === "true") throw new Error(`Chromium is not at ${CHROMIUM_PATH}, so the browser tests cannot run in CI.`);
  console.warn(`[tests] Chromium is not at ${CHROMIUM_PATH}: the playground's browser tests are skipped. Install it with: apt-get install chromium`);
}

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** Where screenshots go (gitignored): test-artifacts/<suite>/<name>.png */
export function artifactPath(suite: string, name: string): string {
  const dir = join(process.cwd(), "test-artifacts", suite);
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}

/** Fails the test on any request that leaves the app under test. */
export async function onlyAllow(page: Page, origin: string): Promise<string[]> {
  const refused: string[] = [];
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
    refused.push(url);
    return route.abort();
  });
  return refused;
}
