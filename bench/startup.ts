/**
 * `npm run bench:startup`: start-up to ready and idle memory, as a person
 * running `npm start` sees them. Each run starts the compiled wesaid
 * (`node dist/src/main.js`, so `npm run build` first) as a real process on a
 * fresh data directory, and counts from spawn to the first 200 from /healthz;
 * then reads the process's resident memory (worker threads included) after it
 * has sat idle. A bare Bolt app (one HTTP receiver and a /healthz route) is
 * started the same way in the same run, for the ratio. PostgreSQL too when
 * BENCH_DATABASE_URL is set (each run on a new, empty database there), and
 * another built checkout too when BENCH_BEFORE_ROOT names one (to compare a
 * change with the code before it, in the same run).
 * Prints figures (median of BENCH_STARTUP_RUNS runs, 5 unless told); asserts nothing.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, totalmem, tmpdir } from "node:os";
import { join } from "node:path";
import { freshPostgres } from "../test/support/databases.ts";

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 5);
const IDLE_MS = Number(process.env.BENCH_IDLE_MS ?? 3000);
const root = new URL("..", import.meta.url).pathname;
const MAIN = join(root, "dist", "src", "main.js");

const BARE_BOLT = `
import bolt from "@slack/bolt";
const receiver = new bolt.ExpressReceiver({ signingSecret: "bench-secret" });
receiver.router.get("/healthz", (_req, res) => res.json({ status: "ok" }));
const app = new bolt.App({ token: "xoxb-bench", receiver, tokenVerificationEnabled: false });
app.command("/wesaid", async ({ ack }) => ack());
await app.start(Number(process.env.PORT));
`;

type Sample = { readyMs: number; cpuSeconds: number; rssMb: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): number {
  return 20000 + Math.floor(Math.random() * 20000);
}

/** Resident memory and CPU time of a process from /proc (Linux). */
function processFigures(pid: number): { rssMb: number; cpuSeconds: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { rssMb: rssKb / 1024, cpuSeconds: ticks / 100 };
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the process stopped before it was ready (exit code ${child.exitCode})`);
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false);
    if (ok) return;
    await sleep(10);
  }
}

async function measure(args: string[], env: Record<string, string>): Promise<Sample> {
  const port = freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn" }, stdio: ["ignore", "ignore", "inherit"] });
  try {
    await waitForHealth(`http://127.0.0.1:${port}/healthz`, child);
    const readyMs = performance.now() - started;
    const { cpuSeconds } = processFigures(child.pid!);
    await sleep(IDLE_MS);
    const { rssMb } = processFigures(child.pid!);
    return { readyMs, cpuSeconds, rssMb };
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function series(label: string, run: () => Promise<Sample>): Promise<Sample> {
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await run());
  const result = { readyMs: median(samples.map((s) => s.readyMs)), cpuSeconds: median(samples.map((s) => s.cpuSeconds)), rssMb: median(samples.map((s) => s.rssMb)) };
  console.log(
    `${label.padEnd(34)} ready ${result.readyMs.toFixed(0).padStart(5)} ms (runs: ${samples.map((s) => s.readyMs.toFixed(0)).join(", ")}), ` +
      `CPU ${result.cpuSeconds.toFixed(2)} s, idle RSS ${result.rssMb.toFixed(0)} MB`,
  );
  return result;
}


if (!existsSync(MAIN)) {
  console.error("dist/ is missing: run npm run build first.");
  process.exit(1);
}
console.log(`Start-up and idle memory: ${cpus().length} cores (${cpus()[0]?.model}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node.js ${process.version}, ${new Date().toISOString()}`);
console.log(`${RUNS} runs each, median; RSS read after ${IDLE_MS} ms idle.\n`);

const bare = await series("bare Bolt app", () => measure(["--input-type=module", "-e", BARE_BOLT], {}));

const withDataDir = async (work: (dir: string) => Promise<Sample>) => {
  const dir = mkdtempSync(join(tmpdir(), "wesaid-bench-startup-"));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
const embeddedFresh = await series("wesaid, embedded, fresh data dir", () => withDataDir((dir) => measure([MAIN], { DATA_DIR: dir })));
const embeddedAgain = await series("wesaid, embedded, second start", () =>
  withDataDir(async (dir) => {
    await measure([MAIN], { DATA_DIR: dir });
    return measure([MAIN], { DATA_DIR: dir });
  }),
);
const rows: [string, Sample][] = [["embedded, fresh data dir", embeddedFresh], ["embedded, second start", embeddedAgain]];
const beforeRoot = process.env.BENCH_BEFORE_ROOT;
if (beforeRoot) {
  const beforeMain = join(beforeRoot, "dist", "src", "main.js");
  rows.push(["before: embedded, fresh dir", await series("before: embedded, fresh data dir", () => withDataDir((dir) => measure([beforeMain], { DATA_DIR: dir })))]);
}
const adminUrl = process.env.BENCH_DATABASE_URL;
if (adminUrl) {
  const postgres = await series("wesaid, PostgreSQL, empty database", async () => {
    const database = await freshPostgres(adminUrl, "pglite_bench_startup");
    try {
      return await withDataDir((dir) => measure([MAIN], { DATABASE_URL: database.url, DATA_DIR: dir }));
    } finally {
      await database.drop();
    }
  });
  rows.push(["PostgreSQL, empty database", postgres]);
}
console.log("\nagainst the bare Bolt app of this run:");
for (const [label, sample] of rows) {
  console.log(`  ${label.padEnd(28)} ready ×${(sample.readyMs / bare.readyMs).toFixed(1)}, idle RSS ×${(sample.rssMb / bare.rssMb).toFixed(1)}`);
}
