import { describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, inflateRawSync, inflateSync } from "node:zlib";
import { defaultFeatures } from "../../src/core.ts";

const APP_ID = "11111111-2222-4333-8444-555555555555";
const script = join(import.meta.dirname, "../../scripts/teams-package.mjs");

/** Reads a zip the way any unzip tool does: from the central directory, checking each CRC. */
function unzip(archive: Buffer): Map<string, Buffer> {
  const end = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  expect(end).toBeGreaterThan(0);
  const count = archive.readUInt16LE(end + 10);
  let p = archive.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(archive.readUInt32LE(p)).toBe(0x02014b50);
    const method = archive.readUInt16LE(p + 10);
    const crc = archive.readUInt32LE(p + 16);
    const compressedSize = archive.readUInt32LE(p + 20);
    const size = archive.readUInt32LE(p + 24);
    const nameLength = archive.readUInt16LE(p + 28);
    const extraLength = archive.readUInt16LE(p + 30);
    const commentLength = archive.readUInt16LE(p + 32);
    const localOffset = archive.readUInt32LE(p + 42);
    const name = archive.subarray(p + 46, p + 46 + nameLength).toString("utf8");
    const local = localOffset + 30 + archive.readUInt16LE(localOffset + 26) + archive.readUInt16LE(localOffset + 28);
    const raw = archive.subarray(local, local + compressedSize);
    const data = method === 8 ? inflateRawSync(raw) : raw;
    expect(data.length).toBe(size);
    expect(crc32(data) >>> 0).toBe(crc);
    files.set(name, data);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

/** Width, height and RGBA pixels of a PNG written with filter 0 (as the script writes them). */
function readPng(data: Buffer): { width: number; height: number; colorType: number; pixel(x: number, y: number): number[] } {
  expect(data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = data.readUInt32BE(16);
  const height = data.readUInt32BE(20);
  const chunks: Buffer[] = [];
  for (let p = 8; p < data.length; ) {
    const length = data.readUInt32BE(p);
    const type = data.subarray(p + 4, p + 8).toString("ascii");
    if (type === "IDAT") chunks.push(data.subarray(p + 8, p + 8 + length));
    p += 12 + length;
  }
  const rows = inflateSync(Buffer.concat(chunks));
  return {
    width,
    height,
    colorType: data[25]!,
    pixel: (x, y) => {
      const start = y * (width * 4 + 1);
      expect(rows[start]).toBe(0);
      return [...rows.subarray(start + 1 + x * 4, start + 5 + x * 4)];
    },
  };
}

function buildPackage(env: Record<string, string>) {
  const out = join(mkdtempSync(join(tmpdir(), "wesaid-teams-package-")), "wesaid-teams.zip");
  const result = spawnSync(process.execPath, [script, "--out", out], { env: { PATH: process.env.PATH ?? "", ...env }, encoding: "utf8" });
  return { out, ...result };
}

describe("npm run teams:package", () => {
  it("writes a zip with the manifest and both icons, the app id filled in", () => {
    const { out, status, stdout } = buildPackage({ MICROSOFT_APP_ID: APP_ID, TEAMS_WEBSITE_URL: "https://example.nhs.uk/wesaid", TEAMS_DEVELOPER_NAME: 'NHS "Example" ICB' });
    expect(status).toBe(0);
    expect(stdout).toContain("Upload it in Teams");
    const files = unzip(readFileSync(out));
    expect([...files.keys()]).toEqual(["manifest.json", "color.png", "outline.png"]);

    const manifest = JSON.parse(files.get("manifest.json")!.toString("utf8"));
    expect(manifest.$schema).toMatch(/MicrosoftTeams\.schema\.json$/);
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0].botId).toBe(APP_ID);
    expect(manifest.bots[0].scopes).toEqual(["personal", "team", "groupChat"]);
    expect(manifest.developer).toEqual({
      name: 'NHS "Example" ICB',
      websiteUrl: "https://example.nhs.uk/wesaid",
      privacyUrl: "https://example.nhs.uk/wesaid",
      termsOfUseUrl: "https://example.nhs.uk/wesaid",
    });
    expect(JSON.stringify(manifest)).not.toContain("${");
  });

  it("makes the same bytes from the same settings", () => {
    const env = { MICROSOFT_APP_ID: APP_ID, TEAMS_WEBSITE_URL: "https://example.nhs.uk/wesaid" };
    expect(readFileSync(buildPackage(env).out)).toEqual(readFileSync(buildPackage(env).out));
  });

  it("refuses to build without a real app id or website, saying what is missing", () => {
    const { status, stderr } = buildPackage({ MICROSOFT_APP_ID: "my-bot", TEAMS_WEBSITE_URL: "http://insecure.example" });
    expect(status).toBe(1);
    expect(stderr).toContain("MICROSOFT_APP_ID must be your Azure Bot's Microsoft App ID");
    expect(stderr).toContain("TEAMS_WEBSITE_URL must be an https:// web address");
  });
});

describe("the app manifest", () => {
  const manifest = JSON.parse(readFileSync(join(import.meta.dirname, "../../adapters/teams/appPackage/manifest.json"), "utf8"));

  it("lists only commands wesaid knows, within Teams' limits", () => {
    const known = new Set(defaultFeatures().flatMap((f) => f.commands.flatMap((c) => [c.name, ...(c.aliases ?? [])])).concat("help"));
    for (const list of manifest.bots[0].commandLists) {
      expect(list.commands.length).toBeLessThanOrEqual(10);
      for (const command of list.commands) {
        expect(known.has(command.title), `${command.title} is not a wesaid command`).toBe(true);
        expect(command.description.length).toBeLessThanOrEqual(128);
      }
    }
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
  });

  it("offers the everyday commands in the 1:1 chat", () => {
    const personal = manifest.bots[0].commandLists.find((l: { scopes: string[] }) => l.scopes.includes("personal")).commands.map((c: { title: string }) => c.title);
    expect(personal).toEqual(expect.arrayContaining(["help", "suggest", "taster", "panel", "digest", "prefs", "pause", "resume", "my-data", "forget-me"]));
  });
});

describe("the icons", () => {
  const icon = (name: string) => readPng(readFileSync(join(import.meta.dirname, "../../adapters/teams/appPackage", name)));

  it("has a 192 x 192 colour icon", () => {
    const color = icon("color.png");
    expect([color.width, color.height, color.colorType]).toEqual([192, 192, 6]);
    expect(color.pixel(0, 0)).toEqual([0x00, 0x5e, 0xb8, 255]);
  });

  it("has a 32 x 32 outline icon, white on transparent", () => {
    const outline = icon("outline.png");
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let drawn = 0;
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const [r, g, b, a] = outline.pixel(x, y);
        if (a! > 0) {
          drawn++;
          expect([r, g, b]).toEqual([255, 255, 255]);
        }
      }
    }
    expect(outline.pixel(0, 0)[3]).toBe(0);
    expect(drawn).toBeGreaterThan(50);
  });

  it("is what the script draws", () => {
    execFileSync(process.execPath, ["-e", `import(${JSON.stringify(script)}).then(m => { const fs = require("node:fs"); if (!m.colorIcon().equals(fs.readFileSync(${JSON.stringify(join(import.meta.dirname, "../../adapters/teams/appPackage/color.png"))}))) process.exit(3); })`]);
  });
});
