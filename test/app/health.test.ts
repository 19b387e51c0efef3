import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startWesaid, type Wesaid } from "../../src/app.ts";
import { openDatabase } from "../../src/db/database.ts";
import { silentLogger } from "../../src/context.ts";
import { freshPostgres } from "../support/databases.ts";

/**
 * /healthz answers within a second, and says 503 while the database does not
 * answer: stalled (a lock held elsewhere, PGlite busy in a transaction) as well
 * as refused (nothing listening). Every PostgreSQL query has a time limit.
 */
const HEALTH_WAIT_MS = 200;

async function health(app: Wesaid): Promise<{ status: number; ms: number; body: { status: string } }> {
  const started = performance.now();
  const res = await fetch(`${app.url}/healthz`);
  return { status: res.status, body: (await res.json()) as { status: string }, ms: performance.now() - started };
}

/** Asks until the answer is `status` (a released lock is seen on the next ping), for at most a few seconds. */
async function healthBecomes(app: Wesaid, status: number): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if ((await health(app)).status === status) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`/healthz never said ${status}`);
}

const start = (env: Record<string, string>) => startWesaid({ env: { PORT: "0", HOST: "127.0.0.1", SCHEDULER: "off", LOG_LEVEL: "silent", ...env }, log: silentLogger, healthTimeoutMs: HEALTH_WAIT_MS });

describe("/healthz on the embedded database", () => {
  let app: Wesaid;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "wesaid-health-"));
    app = await start({ DATA_DIR: dataDir });
  }, 60_000);
  afterAll(async () => {
    await app.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("says 503 within a second while the database is stalled, and 200 again once it answers", async () => {
    expect((await health(app)).status).toBe(200);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let open = false;
    // PGlite runs one transaction at a time: an open one stalls every other query.
    const stall = app.database.prisma.$transaction(
      async (tx) => {
        await tx.processedEvent.count();
        open = true;
        await held;
      },
      { timeout: 30_000 },
    );
    while (!open) await new Promise((r) => setTimeout(r, 10));
    const stalled = await health(app);
    expect(open).toBe(true);
    expect(stalled.status).toBe(503);
    expect(stalled.body.status).toBe("database unavailable");
    expect(stalled.ms).toBeLessThan(1000);
    release();
    await stall;
    await healthBecomes(app, 200);
  });
  it("answers /healthz and fires timers at once while the embedded database is busy with a long statement", async () => {
    let lastTick = performance.now();
    let longestGap = 0;
    const ticker = setInterval(() => {
      longestGap = Math.max(longestGap, performance.now() - lastTick);
      lastTick = performance.now();
    }, 10);
    const started = performance.now();
    let busyMs = 0;
    // pg_sleep holds PGlite's thread as a heavy statement does (WebAssembly has no way to sleep but to wait).
    const busy = app.database.prisma.$queryRawUnsafe("SELECT 1 AS done FROM pg_sleep(2)").then(() => (busyMs = performance.now() - started));
    const answersWhileBusy: { status: number; ms: number }[] = [];
    while (busyMs === 0) {
      const answer = await health(app);
      if (busyMs === 0) answersWhileBusy.push(answer);
    }
    await busy;
    clearInterval(ticker);
    expect(busyMs).toBeGreaterThanOrEqual(2000);
    // With PGlite on the main thread, one answer at most got in before the statement, and the timer waited for all of it.
    expect(answersWhileBusy.length).toBeGreaterThanOrEqual(3);
    for (const answer of answersWhileBusy) expect(answer.ms).toBeLessThan(1000);
    expect(longestGap).toBeLessThan(busyMs / 2);
  });
});

describe.runIf(process.env.WESAID_TEST_POSTGRES_URL)("/healthz on PostgreSQL", () => {
  let database: { url: string; drop(): Promise<void> };
  let proxy: Proxy;
  let app: Wesaid;
  let dataDir: string;
  beforeAll(async () => {
    database = await freshPostgres();
    const target = new URL(database.url);
    proxy = await Proxy.start(Number(target.port || 5432));
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    dataDir = await mkdtemp(join(tmpdir(), "wesaid-health-"));
    app = await start({ DATA_DIR: dataDir, DATABASE_URL: viaProxy.toString() });
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await proxy?.close();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  let locker: pg.Client | undefined;
  afterEach(async () => {
    await locker?.end().catch(() => undefined);
    locker = undefined;
  });

  async function lockEventsTable(): Promise<pg.Client> {
    locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    await locker.query("BEGIN");
    await locker.query(`LOCK TABLE "ProcessedEvent" IN ACCESS EXCLUSIVE MODE`);
    return locker;
  }

  it("says 503 within a second while another session holds a lock, before it is released; 200 after", async () => {
    expect((await health(app)).status).toBe(200);
    const lock = await lockEventsTable();
    const stalled = await health(app);
    expect(stalled.status).toBe(503);
    expect(stalled.ms).toBeLessThan(1000);
    // The lock is still held: the answer did not wait for it.
    const held = await lock.query(`SELECT count(*)::int AS n FROM pg_locks WHERE relation = '"ProcessedEvent"'::regclass AND mode = 'AccessExclusiveLock' AND granted`);
    expect(held.rows[0].n).toBe(1);
    await lock.query("COMMIT");
    await healthBecomes(app, 200);
  });

  it("says 503 quickly when the connection is refused, and 200 once the database is back", async () => {
    expect((await health(app)).status).toBe(200);
    await proxy.close();
    const refused = await health(app);
    expect(refused.status).toBe(503);
    expect(refused.ms).toBeLessThan(1000);
    await proxy.reopen();
    await healthBecomes(app, 200);
  });

  it("a query waiting on a lock fails after the statement time limit instead of waiting for ever", async () => {
    const db = await openDatabase({ databaseUrl: database.url, timeouts: { statementMs: 300 } });
    try {
      await lockEventsTable();
      const started = performance.now();
      await expect(db.prisma.processedEvent.count()).rejects.toThrow(/statement timeout|canceling statement/i);
      expect(performance.now() - started).toBeLessThan(3000);
    } finally {
      await db.close();
    }
  });
});

/** A TCP relay in front of PostgreSQL that can be shut (connections refused) and opened again on the same port. */
class Proxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  private constructor(private readonly targetPort: number) {}

  static async start(targetPort: number): Promise<Proxy> {
    const proxy = new Proxy(targetPort);
    await proxy.reopen();
    return proxy;
  }

  async reopen(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.targetPort, "127.0.0.1");
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on("close", () => this.sockets.delete(socket));
        socket.on("error", () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
