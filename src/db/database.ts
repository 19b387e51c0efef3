import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../context.ts";
import { applyMigrations, type SqlRunner } from "./migrations.ts";

export type Db = PrismaClient;
/** A Prisma client or the transaction client handed to $transaction callbacks. */
export type DbTx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export type Database = {
  prisma: PrismaClient;
  kind: "embedded" | "postgres";
  /** Applied by this start, oldest first. */
  appliedMigrations: string[];
  ping(): Promise<boolean>;
  close(): Promise<void>;
  /** Calls `listener` with each SQL statement Prisma runs (only when opened with `observeQueries`). Returns a way to stop. */
  onQuery(listener: (sql: string) => void): () => void;
};

export type DatabaseOptions = ({ databaseUrl: string } | { dataDir: string } | { inMemory: true }) & {
  /** Emit every statement to onQuery listeners: for measuring statements per action, off in production. */
  observeQueries?: boolean;
  /** Where to report a dropped connection (the pool replaces it). */
  log?: Logger;
};

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
  return "databaseUrl" in options ? openPostgres(options.databaseUrl, events, options.log) : openEmbedded("dataDir" in options ? options.dataDir : undefined, events);
}

async function openEmbedded(dataDir: string | undefined, events: QueryEvents): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = dataDir ? new PGlite(dataDir) : new PGlite();
  await pglite.waitReady;
  const runner: SqlRunner = {
    query: async <T>(sql: string, params?: unknown[]) => (await pglite.query<T>(sql, params)).rows,
    exec: async (sql) => void (await pglite.exec(sql)),
  };
  const appliedMigrations = await applyMigrations(runner);
  // The adapter is built against an older @prisma/driver-adapter-utils; the wire contract is the same.
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) as never, errorFormat: "minimal", ...events.prismaOptions });
  events.attach(prisma);
  return {
    prisma,
    kind: "embedded",
    appliedMigrations,
    onQuery: events.onQuery,
    ping: () => ping(runner),
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}

async function openPostgres(connectionString: string, events: QueryEvents, log?: Logger): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max: 10 });
  // An idle connection dropped by the server (restart, failover) must not crash
  // the process; the pool opens a new one on the next query.
  pool.on("error", (error) => log?.warn("database connection lost; the next query opens a new one", { error }));
  const runner: SqlRunner = {
    query: async <T>(sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows as T[],
    exec: async (sql) => void (await pool.query(sql)),
  };
  const appliedMigrations = await withMigrationLock(pool, () => applyMigrations(runner));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool), errorFormat: "minimal", ...events.prismaOptions });
  events.attach(prisma);
  return {
    prisma,
    kind: "postgres",
    appliedMigrations,
    onQuery: events.onQuery,
    ping: () => ping(runner),
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

async function ping(runner: SqlRunner): Promise<boolean> {
  try {
    await runner.query("SELECT 1");
    return true;
  } catch {
    return false;
  }
}
