// Prisma CLI configuration. The CLI is used offline only, for `prisma generate`
// and `prisma migrate diff`; migrations are applied by src/db/migrate.ts.
// The JavaScript schema engine with an in-memory PGlite avoids the Rust engine
// downloads that cannot happen on a machine without internet access.
import { defineConfig } from "prisma/config";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => new PrismaPGlite(new PGlite()) as never,
});
