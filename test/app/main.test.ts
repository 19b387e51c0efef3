import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";
import { embeddedDatabaseDir } from "../../src/answer-secret.ts";

/**
 * What `npm start` runs, as real processes: the compiled JavaScript in dist/
 * under plain node, started through npm as a person or a service manager
 * would, stopped with SIGTERM sent to npm.
 */
const ROOT = new URL("../..", import.meta.url).pathname;
const MAIN = join(ROOT, "dist", "src", "main.js");
const tempDir = () => mkdtempSync(join(tmpdir(), "wesaid-main-"));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = createServer()
      .once("error", () => resolve(false))
      .listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The environment without any of wesaid's settings, plus these. */
function envWith(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of ["PORT", "DATA_DIR", "DATABASE_URL", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "MICROSOFT_APP_ID", "MICROSOFT_APP_PASSWORD", "TEAMS_ALLOW_UNAUTHENTICATED", "PLAYGROUND", "LOG_LEVEL"]) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

/** Every file under a folder with its size and modification time. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else out[path] = `${stat.size}:${stat.mtimeMs}`;
    }
  };
  walk(dir);
  return out;
}

/**
 * Runs a command to its end without blocking this worker's event loop: vitest's worker must keep answering its
 * runner (a spawnSync longer than 60 s makes vitest report "Timeout calling onTaskUpdate" and fail the run).
 */
function runAsync(command: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd: string; timeoutMs: number }) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(command, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Runs the compiled wesaid to the end (it is expected to refuse to start). */
async function runToEnd(env: NodeJS.ProcessEnv, cwd = ROOT) {
  const result = await runAsync(process.execPath, [MAIN], { env, cwd, timeoutMs: 60_000 });
  const lines = `${result.stdout}${result.stderr}`.split("\n").filter((l) => l.trim() !== "");
  return { status: result.status, lines };
}

// A server a failed test left running is ended, so it holds no port or data folder afterwards.
const servers: number[] = [];
afterEach(() => {
  for (const pid of servers.splice(0)) if (alive(pid)) process.kill(pid, "SIGKILL");
});

beforeAll(async () => {
  const build = await runAsync("npm", ["run", "--silent", "build"], { cwd: ROOT, timeoutMs: 240_000 });
  expect(build.status, build.stdout + build.stderr).toBe(0);
}, 250_000);

describe("npm start", () => {
  it("runs the compiled JavaScript with plain node, reads its settings from an env file, and stops cleanly on SIGTERM sent to npm", async () => {
    const port = await freePort();
    const dataDir = join(tempDir(), "data");
    const envFile = join(tempDir(), "wesaid.env");
    writeFileSync(envFile, `# settings for this test\nPORT=${port}\nDATA_DIR=${dataDir}\nSCHEDULER=on\n`);
    const npm = spawn("npm", ["start"], { cwd: ROOT, env: envWith({ ENV_FILE: envFile }), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    npm.stdout.on("data", (d) => (output += d));
    npm.stderr.on("data", (d) => (output += d));
    const npmExited = new Promise<number | null>((resolve) => npm.on("exit", (code) => resolve(code)));

    let health: unknown = null;
    for (let i = 0; i < 480 && !(output.includes("switched on") && health); i++) {
      health = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => (r.ok ? r.json() : null)).catch(() => null);
      if (!(output.includes("switched on") && health)) await new Promise((r) => setTimeout(r, 250));
    }
    expect(health).toMatchObject({ status: "ok", database: { kind: "embedded" }, platforms: ["local"] });
    const lines = output.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as { pid: number; msg: string; level: string });
    expect(lines.map((l) => l.msg)).toContainEqual(expect.stringContaining("switched on: the playground"));
    expect(lines.map((l) => l.msg)).toContainEqual(`settings read from ${envFile} as well as the environment`);
    // The server is node itself running dist/, not tsx and not a child of a shell that could be left behind.
    const serverPid = lines[0]!.pid;
    servers.push(serverPid);
    expect(spawnSync("ps", ["-o", "args=", "-p", String(serverPid)], { encoding: "utf8" }).stdout.trim()).toBe("node dist/src/main.js");

    npm.kill("SIGTERM");
    await npmExited;
    for (let i = 0; i < 120 && alive(serverPid); i++) await new Promise((r) => setTimeout(r, 250));
    expect(alive(serverPid)).toBe(false);
    expect(output).toContain("SIGTERM received");
    expect(output).toContain('"msg":"stopped"');
    expect(await portIsFree(port)).toBe(true);

    // The embedded database was closed properly: it opens again with everything in it.
    const reopened = await openDatabase({ dataDir: embeddedDatabaseDir(dataDir) });
    try {
      expect(reopened.appliedMigrations).toEqual([]);
      expect(await reopened.prisma.person.count()).toBeGreaterThan(0);
    } finally {
      await reopened.close();
    }
  }, 180_000);

  it("a SIGTERM while it is still opening the database stops it as soon as it has started, never half-way", async () => {
    const port = await freePort();
    const dataDir = join(tempDir(), "data");
    const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env: envWith({ PORT: String(port), DATA_DIR: dataDir }), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // The port is bound first: /healthz says "starting" while the database opens.
    let early: unknown = null;
    for (let i = 0; i < 400 && early === null; i++) {
      early = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.json()).catch(() => null);
      if (early === null) await new Promise((r) => setTimeout(r, 25));
    }
    expect(early).toEqual({ status: "starting" });
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output).toContain("SIGTERM received");
    expect(output).toContain('"msg":"stopped"');
    const reopened = await openDatabase({ dataDir: embeddedDatabaseDir(dataDir) });
    try {
      expect(reopened.appliedMigrations).toEqual([]);
    } finally {
      await reopened.close();
    }
  }, 180_000);

  it("on a busy port says so in one line, exits non-zero, and leaves the database untouched", async () => {
    const held: Server = await new Promise((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => resolve(s));
    });
    const port = (held.address() as { port: number }).port;
    try {
      // A database that exists already: not one file of it may change.
      const dataDir = join(tempDir(), "data");
      const first = await openDatabase({ dataDir });
      await first.close();
      const before = snapshot(dataDir);
      const refused = await runToEnd(envWith({ PORT: String(port), DATA_DIR: dataDir }));
      expect(refused.status).toBe(1);
      expect(refused.lines).toHaveLength(1);
      expect(JSON.parse(refused.lines[0]!)).toMatchObject({ level: "error", msg: `port ${port} on 127.0.0.1 is already in use (is wesaid already running?). Stop the other program, or set PORT to a free port.` });
      expect(refused.lines[0]).not.toMatch(/\bat .*:\d+:\d+/);
      expect(snapshot(dataDir)).toEqual(before);

      // And one that does not exist yet is not even created.
      const fresh = join(tempDir(), "never");
      expect((await runToEnd(envWith({ PORT: String(port), DATA_DIR: fresh }))).status).toBe(1);
      expect(existsSync(fresh)).toBe(false);
    } finally {
      held.close();
    }
  }, 120_000);

  it("reads .env from the folder it starts in, and a setting there that is half a platform stops it, naming the variable", async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, ".env"), `SLACK_BOT_TOKEN=xoxb-from-dotenv\nDATA_DIR=${join(cwd, "data")}\n`);
    const refused = await runToEnd(envWith({}), cwd);
    expect(refused.status).toBe(1);
    expect(refused.lines).toHaveLength(1);
    expect(JSON.parse(refused.lines[0]!).msg).toBe("wesaid cannot start because of its settings: SLACK_SIGNING_SECRET is missing: Slack needs it with SLACK_BOT_TOKEN.");
    expect(existsSync(join(cwd, "data"))).toBe(false);

    // A variable set in the environment wins over the file.
    const overridden = await runToEnd(envWith({ SLACK_BOT_TOKEN: "", PORT: "eighty" }), cwd);
    expect(overridden.lines).toHaveLength(1);
    expect(JSON.parse(overridden.lines[0]!).msg).toMatch(/^wesaid cannot start because of its settings: PORT: /);
  }, 120_000);
});
