#!/usr/bin/env bash
# Pre-release only: rebuilds the single init migration from prisma/schema.prisma
# and regenerates the client. Removed once the first release has shipped.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf prisma/migrations
node scripts/new-migration.mjs init >/dev/null
node scripts/prisma.mjs generate >/dev/null 2>&1
ls prisma/migrations
