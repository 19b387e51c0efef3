import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// What `npm start` runs, as a real process: it must come up on its embedded
// defaults with no credentials, say what it switched on, and stop cleanly on SIGTERM.
describe("npm start", () => {
  it("runs on embedded defaults with the playground, and stops cleanly on SIGTERM", async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATA_DIR: mkdtempSync(join(tmpdir(), "wesaid-main-")) };
    for (const name of ["DATABASE_URL", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "MICROSOFT_APP_ID", "TEAMS_ALLOW_UNAUTHENTICATED", "PLAYGROUND"]) delete env[name];
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

    // Wait (bounded) until it answers and has said what it switched on.
    let health: unknown = null;
    for (let i = 0; i < 360 && (health === null || !output.includes("switched on")); i++) {
      health = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.json()).catch(() => null);
      if (health === null || !output.includes("switched on")) await new Promise((r) => setTimeout(r, 250));
    }
    expect(health).toMatchObject({ status: "ok", database: { kind: "embedded" }, platforms: ["local"] });
    expect(output).toContain("switched on: the playground");

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output).toContain("SIGTERM received");
  }, 120_000);
});
