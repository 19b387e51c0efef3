import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MAKE_SUGGESTION_CALLBACK } from "../../adapters/slack/translate.ts";

// manifest.yml asks for exactly the scopes the adapter uses, and names the
// events, shortcut and command the adapter listens for.
const dir = new URL("../../adapters/slack/", import.meta.url);
const manifest = readFileSync(new URL("manifest.yml", dir), "utf8");
const source = readdirSync(dir)
  .filter((f) => f.endsWith(".ts"))
  .map((f) => readFileSync(new URL(f, dir), "utf8"))
  .join("\n");

/** The YAML list items under a key (`key:` on its own line), ignoring comments. */
function listUnder(key: string): string[] {
  const lines = manifest.split("\n");
  const start = lines.findIndex((l) => l.trim() === `${key}:`);
  if (start < 0) return [];
  const indent = lines[start]!.search(/\S/);
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === "" || line.trim().startsWith("#")) continue;
    if (line.search(/\S/) <= indent) break;
    const item = /^\s*-\s+([^\s#]+)\s*$/.exec(line);
    if (item) items.push(item[1]!);
  }
  return items;
}

// Each scope, and the code that needs it.
const SCOPE_EVIDENCE: Record<string, string> = {
  commands: "app.command(",
  "chat:write": "chat.postMessage(",
  "chat:write.public": "chat.postMessage(",
  "im:write": "conversations.open(",
  "im:history": 'app.event("message"',
  "app_mentions:read": 'app.event("app_mention"',
  "users:read": "users.info(",
  "files:write": "files.uploadV2(",
};

describe("manifest.yml", () => {
  it("asks for exactly the bot scopes the adapter uses", () => {
    expect(listUnder("bot").sort()).toEqual(Object.keys(SCOPE_EVIDENCE).sort());
    for (const evidence of Object.values(SCOPE_EVIDENCE)) expect(source).toContain(evidence);
  });

  it("subscribes to the events the adapter listens for", () => {
    expect(listUnder("bot_events").sort()).toEqual(["app_home_opened", "app_mention", "message.im"]);
    expect(source).toContain('app.event("app_home_opened"');
  });

  it("declares the shortcut, the slash command, interactivity and App Home with its messages tab", () => {
    expect(manifest).toContain(`callback_id: ${MAKE_SUGGESTION_CALLBACK}`);
    expect(manifest).toContain("command: /wesaid");
    expect(manifest).toContain("should_escape: true");
    expect(manifest.match(/https:\/\/wesaid\.example\.org\/slack\/events/g)).toHaveLength(3);
    expect(manifest).toMatch(/interactivity:\n\s+is_enabled: true/);
    expect(manifest).toMatch(/home_tab_enabled: true\n\s+messages_tab_enabled: true\n\s+messages_tab_read_only_enabled: false/);
  });
});
