import { Prisma } from "../generated/prisma/client.ts";

/**
 * A unique constraint refused a write. PostgreSQL through @prisma/adapter-pg
 * reports Prisma's P2002; the embedded PGlite adapter passes on PostgreSQL's
 * raw code 23505 instead. Callers that treat "already there" as a normal
 * outcome must accept both.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) return error.code === "P2002";
  const cause = (error as { cause?: { code?: unknown; originalCode?: unknown } } | null)?.cause;
  return cause?.code === "23505" || cause?.originalCode === "23505";
}
