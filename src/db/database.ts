import { constants, cpSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../context.ts";
import { embeddedAdapter, startEmbeddedThread } from "./embedded.ts";
import { applyMigrations, loadMigrations, type SqlRunner } from "./migrations.ts";
import { partialTemplateFolder, saveTemplate, saveTemplateFolder, templateExists, templateFile, templateFolder } from "./template.ts";

export type Db = PrismaClient;
/** A Prisma client or the transaction client handed to $transaction callbacks. */
export type DbTx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export type Database = {
  prisma: PrismaClient;
  kind: "embedded" | "postgres";
  /** Applied by this start, oldest first. */
  appliedMigrations: string[];
  /** Whether the database answers a read within `timeoutMs` (a stalled database says false in time, too). */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
  /** Calls `listener` with each SQL statement Prisma runs (only when opened with `observeQueries`). Returns a way to stop. */
  onQuery(listener: (sql: string) => void): () => void;
};

export type DatabaseOptions = ({ databaseUrl: string } | { dataDir: string } | { inMemory: true }) & {
  /** Emit every statement to onQuery listeners: for measuring statements per action, off in production. */
  observeQueries?: boolean;
  /** Where to report a dropped connection (the pool replaces it). */
  log?: Logger;
  /** PostgreSQL's time limits (DEFAULT_TIMEOUTS unless given); PGlite cannot be interrupted. */
  timeouts?: Partial<DatabaseTimeouts>;
};

/**
 * Every query on PostgreSQL has a time limit, so a stalled database (a lock
 * held, a network that stops answering) gives an error instead of an endless wait.
 */
export type DatabaseTimeouts = {
  /** The server stops a statement after this long, waiting for locks included (statement_timeout). */
  statementMs: number;
  /** The client gives up on a query after this long, even if the server never answers (query_timeout). */
  queryMs: number;
  /** Opening a connection, or waiting for a free one in the pool (connectionTimeoutMillis). */
  connectMs: number;
  /** The server ends a session left idle inside a transaction (idle_in_transaction_session_timeout), so its locks go. */
  idleInTransactionMs: number;
};

export const DEFAULT_TIMEOUTS: DatabaseTimeouts = { statementMs: 30_000, queryMs: 35_000, connectMs: 5_000, idleInTransactionMs: 60_000 };
/** How long a ping waits by default: /healthz must answer within a second. */
export const PING_TIMEOUT_MS = 800;

type QueryEvents = { prismaOptions: { log?: [{ emit: "event"; level: "query" }] }; attach(prisma: PrismaClient): void; onQuery: Database["onQuery"] };

function queryEvents(observe: boolean | undefined): QueryEvents {
  const listeners = new Set<(sql: string) => void>();
  return {
    prismaOptions: observe ? { log: [{ emit: "event", level: "query" }] } : {},
    attach(prisma) {
      if (!observe) return;
      (prisma as unknown as { $on(event: "query", cb: (e: { query: string }) => void): void }).$on("query", (e) => {
        for (const listener of listeners) listener(e.query);
      });
    },
    onQuery(listener) {
      if (!observe) throw new Error("open the database with observeQueries to count its statements");
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Opens the database named by the options and brings its schema up to date. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const events = queryEvents(options.observeQueries);
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  return "databaseUrl" in options ? openPostgres(options.databaseUrl, events, timeouts, options.log) : openEmbedded("dataDir" in options ? options.dataDir : undefined, events);
}

async function openEmbedded(dataDir: string | undefined, events: QueryEvents): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const migrations = loadMigrations();
  const template = templateFile(migrations);
  const fresh = !dataDir || !existsSync(join(dataDir, "PG_VERSION"));
  let fromTemplate = false;
  if (fresh && dataDir && existsSync(templateFolder(template))) {
    // A copy-on-write clone where the file system offers one (btrfs, XFS, APFS), a plain copy elsewhere.
    cpSync(templateFolder(template), dataDir, { recursive: true, mode: constants.COPYFILE_FICLONE });
    fromTemplate = true;
  }
  const loadTarball = fresh && !fromTemplate && templateExists(template);
  fromTemplate ||= loadTarball;
  const thread = await startEmbeddedThread({ dataDir, templateFile: loadTarball ? template : undefined });
  try {
    const runner: SqlRunner = {
      query: <T>(sql: string, params?: unknown[]) => thread.call<T[]>("query", { sql, params }),
      exec: (sql) => thread.call<void>("exec", { sql }),
    };
    const appliedMigrations = await applyMigrations(runner, migrations);
    if (fresh && !fromTemplate) saveTemplate(template, await thread.call<Uint8Array>("dump"));
    const prisma = new PrismaClient({ adapter: embeddedAdapter(thread) as never, errorFormat: "minimal", ...events.prismaOptions });
    events.attach(prisma);
    return {
      prisma,
      kind: "embedded",
      // A database made from the template (named after these migrations) got all of them on this start.
      appliedMigrations: fromTemplate ? migrations.map((m) => m.name) : appliedMigrations,
      onQuery: events.onQuery,
      ping: sharedPing(() => runner.query(PING_SQL).then(() => undefined)),
      close: async () => {
        await prisma.$disconnect();
        await thread.close();
      },
    };
  } catch (error) {
    await thread.close();
    throw error;
  }
}

/**
 * Makes both forms of the embedded database's template (src/db/template.ts)
 * if they are missing: `npm run build` calls it, so `npm start` on a fresh
 * data directory copies a folder.
 */
export async function prepareEmbeddedTemplate(): Promise<void> {
  const template = templateFile(loadMigrations());
  if (!templateExists(template)) await (await openEmbedded(undefined, queryEvents(false))).close();
  if (!templateExists(template) || existsSync(templateFolder(template))) return;
  const partial = partialTemplateFolder(template);
  const thread = await startEmbeddedThread({ dataDir: partial, templateFile: template });
  await thread.close();
  saveTemplateFolder(template, partial);
}

async function openPostgres(connectionString: string, events: QueryEvents, timeouts: DatabaseTimeouts, log?: Logger): Promise<Database> {
  // Migrations may run long (a new index on a big table): they get their own pool, without the statement limit.
  const migrationPool = new pg.Pool({ connectionString, max: 2, connectionTimeoutMillis: timeouts.connectMs });
  migrationPool.on("error", () => undefined);
  const migrationRunner: SqlRunner = {
    query: async <T>(sql: string, params?: unknown[]) => (await migrationPool.query(sql, params)).rows as T[],
    exec: async (sql) => void (await migrationPool.query(sql)),
  };
  let appliedMigrations: string[];
  try {
    appliedMigrations = await withMigrationLock(migrationPool, () => applyMigrations(migrationRunner));
  } finally {
    await migrationPool.end();
  }
  const pool = new pg.Pool({
    connectionString,
    max: 10,
    statement_timeout: timeouts.statementMs,
    query_timeout: timeouts.queryMs,
    connectionTimeoutMillis: timeouts.connectMs,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
  });
  // An idle connection dropped by the server (restart, failover) must not crash
  // the process; the pool opens a new one on the next query.
  pool.on("error", (error) => log?.warn("database connection lost; the next query opens a new one", { error }));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool), errorFormat: "minimal", ...events.prismaOptions });
  events.attach(prisma);
  return {
    prisma,
    kind: "postgres",
    appliedMigrations,
    onQuery: events.onQuery,
    // A ping that outlives its wait is given up by the client too, and its connection closed (pool.query with an error).
    ping: sharedPing((timeoutMs) => pool.query({ text: PING_SQL, query_timeout: timeoutMs } as pg.QueryConfig).then(() => undefined)),
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

// Two instances starting together must not both apply the same migration.
async function withMigrationLock<T>(pool: pg.Pool, work: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock(727365616964)");
    return await work();
  } finally {
    await client.query("SELECT pg_advisory_unlock(727365616964)").catch(() => undefined);
    client.release();
  }
}

/**
 * Reads the table every platform event is claimed in (src/db/event-claims.ts):
 * if it cannot be read, nothing people send can be handled. A locked table
 * stalls the ping as it would stall them.
 */
const PING_SQL = `SELECT 1 FROM "ProcessedEvent" LIMIT 1`;

/**
 * A ping that answers false once `timeoutMs` has passed, whatever the database
 * does (PGlite cannot be interrupted, so its query is left to finish). Pings
 * made while one is still waiting share it, so a stalled database does not
 * pile up queries from repeated health checks.
 */
function sharedPing(query: (timeoutMs: number) => Promise<void>): (timeoutMs?: number) => Promise<boolean> {
  let pending: Promise<boolean> | null = null;
  return (timeoutMs = PING_TIMEOUT_MS) => {
    pending ??= query(Math.max(timeoutMs, 1000) * 5)
      .then(() => true, () => false)
      .finally(() => {
        pending = null;
      });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref();
    });
    return Promise.race([pending, late]).finally(() => clearTimeout(timer));
  };
}
