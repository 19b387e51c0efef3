import type { Locator, Page } from "playwright-core";
import { PERSONAS } from "../../adapters/local/personas.ts";

/**
 * Driving the playground page the way a person does: by labels, roles and
 * visible text. Every wait is bounded; nothing sleeps.
 */
export const WAIT = 8_000;

export async function openPage(page: Page, url: string, persona = "facilitator", place = "direct"): Promise<void> {
  await page.goto(`${url}/#persona=${persona}&place=${encodeURIComponent(place)}`);
  await page.waitForSelector("body[data-ready]", { timeout: WAIT });
}

export function personaName(key: string): string {
  const persona = PERSONAS.find((p) => p.key === key);
  if (!persona) throw new Error(`no persona ${key}`);
  return persona.displayName;
}

export async function beAs(page: Page, key: string): Promise<void> {
  await page.getByRole("radio", { name: personaName(key) }).check();
  await page.locator("#command-label", { hasText: PERSONAS.find((p) => p.key === key)!.name }).waitFor({ timeout: WAIT });
}

export async function goTo(page: Page, place: "Direct messages" | "#demo-programme" | "#my-programme"): Promise<void> {
  const nav = page.getByRole("navigation", { name: "Conversations" });
  await nav.getByRole("button", { name: new RegExp(`^${place.replace(/[#]/g, "\\#")}`) }).click();
  await nav.locator('button[aria-current="page"]', { hasText: place }).waitFor({ timeout: WAIT });
}

export async function say(page: Page, text: string): Promise<void> {
  await page.getByRole("textbox", { name: /^Type to wesaid/ }).fill(text);
  await page.getByRole("button", { name: "Send to wesaid" }).click();
  await page.locator("#messages li.entry--typed", { hasText: text }).last().waitFor({ timeout: WAIT });
}

/** The newest message in the open conversation that contains this text, once it has arrived. */
export async function message(page: Page, text: string | RegExp): Promise<Locator> {
  const found = page.locator("#messages > li").filter({ hasText: text }).last();
  await found.waitFor({ timeout: WAIT });
  return found;
}

export async function waitForStatus(page: Page, text: string | RegExp): Promise<void> {
  await page.locator("#status").filter({ hasText: text }).waitFor({ timeout: WAIT * 4 });
}

export async function skipAhead(page: Page, by: "1 hour" | "1 day" | "1 week"): Promise<void> {
  await page.getByRole("button", { name: `Skip ahead ${by}` }).click();
  await waitForStatus(page, `Skipped ahead ${by}`);
}

/**
 * Tabs until the focused element matches, as a keyboard user would, and
 * fails after `max` presses so a broken tab order shows as a failure.
 */
export async function tabTo(page: Page, matches: (el: { id: string; text: string; role: string; name: string }) => boolean, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const active = await page.evaluate(() => {
      const el = (globalThis as any).document.activeElement;
      return {
        id: el?.id ?? "",
        text: (el?.textContent ?? "").trim(),
        role: el?.getAttribute("role") ?? el?.tagName.toLowerCase() ?? "",
        name: el?.name ?? "",
      };
    });
    if (matches(active)) return;
  }
  throw new Error("could not reach the element with the Tab key");
}

/** Whether the focused element shows a visible focus indicator. */
export async function focusIsVisible(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const win = globalThis as any;
    const el = win.document.activeElement;
    if (!el || el === win.document.body) return false;
    const style = win.getComputedStyle(el);
    return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== "none";
  });
}

/**
 * Text that fails WCAG AA contrast (4.5:1, or 3:1 for large text) against
 * the background behind it. Checks every visible element with its own text.
 */
export async function contrastFailures(page: Page): Promise<string[]> {
  // Runs in the page (tsconfig has no DOM types, hence the one `any` for the window).
  return page.evaluate(() => {
    const win = globalThis as any;
    type RGBA = [number, number, number, number];
    const parse = (value: string): RGBA => {
      const m = value.match(/rgba?\(([^)]+)\)/);
      if (!m) return [0, 0, 0, 0];
      const parts = m[1]!.split(/[ ,/]+/).filter(Boolean).map(Number);
      return [parts[0]!, parts[1]!, parts[2]!, parts[3] ?? 1];
    };
    const luminance = ([r, g, b]: RGBA) => {
      const f = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const blend = (top: RGBA, bottom: RGBA): RGBA => {
      const a = top[3];
      return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1];
    };
    const background = (el: any): RGBA => {
      const layers: RGBA[] = [];
      for (let node = el; node; node = node.parentElement) {
        const bg = parse(win.getComputedStyle(node).backgroundColor);
        if (bg[3] > 0) layers.push(bg);
        if (bg[3] >= 1) break;
      }
      return layers.reverse().reduce((under, layer) => blend(layer, under), [255, 255, 255, 1] as RGBA);
    };
    const failures: string[] = [];
    for (const el of Array.from(win.document.querySelectorAll("body *")) as any[]) {
      const own = Array.from(el.childNodes as ArrayLike<any>).some((n) => n.nodeType === 3 && n.textContent.trim() !== "");
      if (!own) continue;
      const rect = el.getBoundingClientRect();
      const style = win.getComputedStyle(el);
      if (rect.width === 0 || rect.height === 0 || style.visibility === "hidden" || el.closest(".visually-hidden, [hidden]")) continue;
      if (el.disabled) continue;
      const bg = background(el);
      const fg = blend(parse(style.color), bg);
      const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a) as [number, number];
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) failures.push(`${ratio.toFixed(2)}: <${el.tagName.toLowerCase()} class="${el.className}"> ${String(el.textContent).trim().slice(0, 40)}`);
    }
    return failures;
  });
}
