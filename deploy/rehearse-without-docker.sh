#!/usr/bin/env bash
# Rehearses docs/deploy.md on a machine without Docker: the same build, two
# wesaid replicas on one PostgreSQL database behind HAProxy (Debian's package),
# a replica stopped with SIGTERM while the other serves, and a backup restored
# with pg_dump / pg_restore. Everything listens on 127.0.0.1 only.
#   POSTGRES_URL=postgresql://postgres@127.0.0.1:5432 deploy/rehearse-without-docker.sh
set -euo pipefail
cd "$(dirname "$0")/.."
base="${POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432}"
db="wesaid_rehearsal_$$"
work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  dropdb --if-exists -d "$base/postgres" "$db" 2>/dev/null || psql "$base/postgres" -qc "DROP DATABASE IF EXISTS $db" || true
  psql "$base/postgres" -qc "DROP DATABASE IF EXISTS ${db}_restored" || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== build (as the Dockerfile does)"
npm run --silent build

echo "== database"
psql "$base/postgres" -qc "CREATE DATABASE $db"

echo "== two replicas, the same settings (an unauthenticated Teams stands in for a real platform here)"
for port in 3101 3102; do
  DATABASE_URL="$base/$db" HOST=127.0.0.1 PORT=$port TEAMS_ALLOW_UNAUTHENTICATED=1 LOG_LEVEL=debug \
    node dist/src/main.js >"$work/replica-$port.log" 2>&1 &
  pids+=($!)
done

echo "== HAProxy in front, on 127.0.0.1:3100 (deploy/haproxy.cfg with fixed addresses instead of Docker's DNS)"
sed -e 's/^  bind :8080/  bind 127.0.0.1:3100/' -e '/^resolvers docker/,/^$/d' -e '/^  log stdout/d' \
    -e 's/^  server-template .*/  server a 127.0.0.1:3101 check inter 1s\n  server b 127.0.0.1:3102 check inter 1s/' \
    deploy/haproxy.cfg >"$work/haproxy.cfg"
haproxy -f "$work/haproxy.cfg" -db >"$work/haproxy.log" 2>&1 &
pids+=($!)

for i in $(seq 1 240); do
  ups=$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:3101/healthz || true)$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:3102/healthz || true)
  [ "$ups" = "200200" ] && break
  sleep 0.5
done
[ "$ups" = "200200" ] || { echo "the replicas did not come up"; cat "$work"/replica-*.log; exit 1; }
sleep 2 # HAProxy's first health checks

echo "== through the one port: answers from both replicas, each with a request id"
for i in 1 2 3 4; do
  curl -s -D "$work/headers" http://127.0.0.1:3100/healthz; echo "   X-Request-Id: $(grep -i '^x-request-id' "$work/headers" | cut -d' ' -f2 | tr -d '\r')"
done

for port in 3101 3102; do echo "replica $port answered $(grep -c '"path":"/healthz"' "$work/replica-$port.log") of them (and HAProxy's checks)"; done

echo "== one replica stopped with SIGTERM; the port still answers"
kill -TERM "${pids[0]}"
wait "${pids[0]}" && echo "replica 3101 exited with code 0"
sleep 3
for i in 1 2 3; do curl -s -o /dev/null -w '%{http_code} ' http://127.0.0.1:3100/healthz; done; echo
grep -h '"msg":"stopped"' "$work/replica-3101.log"

echo "== backup and restore of PostgreSQL"
pg_dump -Fc -d "$base/$db" -f "$work/wesaid.dump"
psql "$base/postgres" -qc "CREATE DATABASE ${db}_restored"
pg_restore --no-owner -d "$base/${db}_restored" "$work/wesaid.dump"
echo "tables restored: $(psql -At "$base/${db}_restored" -c "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")"
echo "migrations restored: $(psql -At "$base/${db}_restored" -c 'SELECT count(*) FROM wesaid_migrations' 2>/dev/null || echo '?')"
echo "== backup and restore of the embedded database (PGlite): stop, copy DATA_DIR, start from the copy"
run_embedded() { DATA_DIR="$1" HOST=127.0.0.1 PORT=3103 TEAMS_ALLOW_UNAUTHENTICATED=1 node dist/src/main.js >"$work/embedded.log" 2>&1 & pids+=($!); }
wait_up() { for i in $(seq 1 240); do curl -sf -o /dev/null http://127.0.0.1:3103/healthz && return 0; sleep 0.5; done; return 1; }
run_embedded "$work/data"; wait_up
kill -TERM "${pids[-1]}"; wait "${pids[-1]}"
tar -C "$work" -czf "$work/wesaid-data.tar.gz" data
mkdir "$work/restored" && tar -C "$work/restored" -xzf "$work/wesaid-data.tar.gz"
run_embedded "$work/restored/data"; wait_up
grep -h '"msg":"database: embedded' "$work/embedded.log"
echo "started from the copy without applying any migration again: $(grep -c migrationsApplied "$work/embedded.log" | sed 's/^0$/yes/')"
kill -TERM "${pids[-1]}"; wait "${pids[-1]}"
echo "rehearsal done"
