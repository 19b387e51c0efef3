#!/usr/bin/env node
/**
 * Builds the Microsoft Teams app package an IT admin uploads:
 * dist/wesaid-teams.zip with manifest.json, color.png and outline.png.
 *
 *   MICROSOFT_APP_ID=<your bot's app id> TEAMS_WEBSITE_URL=https://... npm run teams:package
 *
 * Settings (environment):
 *   MICROSOFT_APP_ID      required: the Azure Bot's Microsoft App ID (a GUID)
 *   TEAMS_WEBSITE_URL     required: an https page about wesaid in your organisation
 *   TEAMS_PRIVACY_URL     optional: your privacy notice (defaults to TEAMS_WEBSITE_URL)
 *   TEAMS_TERMS_URL       optional: your terms of use (defaults to TEAMS_WEBSITE_URL)
 *   TEAMS_DEVELOPER_NAME  optional: who runs it, e.g. "NHS Gloucestershire ICB" (defaults to "wesaid")
 *
 * `node scripts/teams-package.mjs icons` redraws the two icons (they are committed).
 *
 * No dependencies: the zip and the PNGs are written with node:zlib
 * (deflateRawSync, deflateSync and crc32).
 */
import { crc32, deflateRawSync, deflateSync } from "node:zlib";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const appPackage = join(root, "adapters", "teams", "appPackage");

// ------------------------------------------------------------------ manifest

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The settings the manifest needs, checked, with plain-English problems. */
export function manifestValues(env) {
  const problems = [];
  const appId = (env.MICROSOFT_APP_ID ?? "").trim();
  if (!GUID.test(appId)) problems.push("MICROSOFT_APP_ID must be your Azure Bot's Microsoft App ID (a GUID like 00000000-0000-0000-0000-000000000000).");
  const url = (name, fallback) => {
    const given = (env[name] ?? "").trim();
    // A missing optional address falls back to the website, whose problem is already reported.
    if (!given && fallback !== undefined) return fallback;
    if (!/^https:\/\/[^\s]+$/.test(given)) problems.push(`${name} must be an https:// web address.`);
    return given;
  };
  const website = url("TEAMS_WEBSITE_URL");
  const values = {
    MICROSOFT_APP_ID: appId,
    TEAMS_WEBSITE_URL: website,
    TEAMS_PRIVACY_URL: url("TEAMS_PRIVACY_URL", website),
    TEAMS_TERMS_URL: url("TEAMS_TERMS_URL", website),
    TEAMS_DEVELOPER_NAME: ((env.TEAMS_DEVELOPER_NAME ?? "").trim() || "wesaid").slice(0, 32),
  };
  if (problems.length) throw new Error(`Cannot build the Teams app package:\n  ${problems.join("\n  ")}`);
  return values;
}

/** manifest.json with every ${NAME} replaced (as JSON string content). */
export function buildManifest(template, values) {
  const text = template.replace(/\$\{([A-Z_]+)\}/g, (whole, name) => {
    if (!(name in values)) throw new Error(`The manifest uses \${${name}}, which has no value.`);
    return JSON.stringify(String(values[name])).slice(1, -1);
  });
  JSON.parse(text);
  return text;
}

// ------------------------------------------------------------------ zip

/** A zip archive (deflated entries, fixed times so the same input gives the same bytes). */
export function zip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = Buffer.from(name, "utf8");
    const compressed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data) >>> 0;
    const header = (signature, extra) => {
      const fields = Buffer.alloc(extra ? 46 : 30);
      let p = 0;
      const u16 = (v) => (p = fields.writeUInt16LE(v, p));
      const u32 = (v) => (p = fields.writeUInt32LE(v >>> 0, p));
      u32(signature);
      if (extra) u16(20); // version made by
      u16(20); // version needed: deflate
      u16(0x0800); // flags: UTF-8 names
      u16(8); // deflate
      u16(0); // time 00:00
      u16(0x21); // date 1980-01-01
      u32(crc);
      u32(compressed.length);
      u32(data.length);
      u16(nameBytes.length);
      u16(0); // extra field length
      if (extra) {
        u16(0); // comment length
        u16(0); // disk
        u16(0); // internal attributes
        u32(0); // external attributes
        u32(offset);
      }
      return fields;
    };
    const local = Buffer.concat([header(0x04034b50, false), nameBytes, compressed]);
    centrals.push(Buffer.concat([header(0x02014b50, true), nameBytes]));
    locals.push(local);
    offset += local.length;
  }
  const central = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(central.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, central, end]);
}

// ------------------------------------------------------------------ PNG icons

/** An RGBA PNG from a function giving [r, g, b, a] (0-255) for each pixel. */
export function png(width, height, pixel) {
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    const start = y * (width * 4 + 1);
    rows[start] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const [r, g, b, a] = pixel(x, y);
      rows.set([r, g, b, a], start + 1 + x * 4);
    }
  }
  const chunk = (type, data) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(rows, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const inRoundRect = (x, y, [x0, y0, x1, y1], r) => {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r);
  const cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};

const inTriangle = (x, y, [ax, ay], [bx, by], [cx, cy]) => {
  const d1 = (x - bx) * (ay - by) - (ax - bx) * (y - by);
  const d2 = (x - cx) * (by - cy) - (bx - cx) * (y - cy);
  const d3 = (x - ax) * (cy - ay) - (cx - ax) * (y - ay);
  const negative = d1 < 0 || d2 < 0 || d3 < 0;
  const positive = d1 > 0 || d2 > 0 || d3 > 0;
  return !(negative && positive);
};

/** Fraction of a pixel inside `shape`, sampled 4 x 4, for smooth edges. */
const coverage = (px, py, shape) => {
  let inside = 0;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) if (shape(px + (i + 0.5) / 4, py + (j + 0.5) / 4)) inside++;
  return inside / 16;
};

/** A speech bubble (with a tail) scaled to `size`, in units of a 32 x 32 grid. */
const bubble = (size, inset = 0) => {
  const k = size / 32;
  const box = [(4 + inset) * k, (5 + inset) * k, (28 - inset) * k, (22 - inset) * k];
  return (x, y) => inRoundRect(x, y, box, Math.max(0.5, (4 - inset) * k)) || (inset === 0 && inTriangle(x, y, [8 * k, 20 * k], [15 * k, 20 * k], [7 * k, 28 * k]));
};

/** The colour icon: a white speech bubble with three lines of "text" on NHS blue, 192 x 192. */
export function colorIcon() {
  const size = 192;
  const k = size / 32;
  const outer = bubble(size);
  const lines = [
    [9, 9.5, 23, 11.5],
    [9, 12.5, 23, 14.5],
    [9, 15.5, 18, 17.5],
  ].map(([x0, y0, x1, y1]) => (x, y) => inRoundRect(x, y, [x0 * k, y0 * k, x1 * k, y1 * k], k));
  const blue = [0x00, 0x5e, 0xb8];
  return png(size, size, (x, y) => {
    const white = coverage(x, y, outer) * (1 - Math.max(...lines.map((line) => coverage(x, y, line))));
    const mix = (c) => Math.round(c + (255 - c) * white);
    return [mix(blue[0]), mix(blue[1]), mix(blue[2]), 255];
  });
}

/** The outline icon: a white speech-bubble outline on transparent, 32 x 32. */
export function outlineIcon() {
  const size = 32;
  const outer = bubble(size);
  const inner = bubble(size, 2);
  return png(size, size, (x, y) => {
    const alpha = coverage(x, y, (sx, sy) => outer(sx, sy) && !inner(sx, sy));
    return [255, 255, 255, Math.round(alpha * 255)];
  });
}

// ------------------------------------------------------------------ the package

export function packageTeamsApp({ env = process.env, outFile = join(root, "dist", "wesaid-teams.zip") } = {}) {
  const manifest = buildManifest(readFileSync(join(appPackage, "manifest.json"), "utf8"), manifestValues(env));
  const archive = zip([
    { name: "manifest.json", data: Buffer.from(manifest, "utf8") },
    { name: "color.png", data: readFileSync(join(appPackage, "color.png")) },
    { name: "outline.png", data: readFileSync(join(appPackage, "outline.png")) },
  ]);
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, archive);
  return outFile;
}

function main(args) {
  if (args[0] === "icons") {
    writeFileSync(join(appPackage, "color.png"), colorIcon());
    writeFileSync(join(appPackage, "outline.png"), outlineIcon());
    console.log(`Drew the icons in ${appPackage}`);
    return;
  }
  const outIndex = args.indexOf("--out");
  const outFile = outIndex >= 0 && args[outIndex + 1] ? resolve(args[outIndex + 1]) : undefined;
  const written = packageTeamsApp(outFile ? { outFile } : {});
  console.log(`Wrote ${written}. Upload it in Teams: Apps > Manage your apps > Upload an app (or in the Teams admin centre).`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
