#!/usr/bin/env bash
# Callbacks on PostgreSQL beside PostgreSQL's own ceiling, measured in one run on one machine:
# pgbench with one small write transaction per client call (-N), then huiwu's load generator
# (closed loop, then a fixed rate; then a closed loop of a command that takes its transaction),
# alternating, RUNS times. With SQLITE=1 the same generator runs against SQLite afterwards for
# comparison.
#
#   benches/callbacks_postgres.sh            # needs a PostgreSQL at PGHOST:PGPORT (trust auth)
#   RUNS=5 POOL=16 benches/callbacks_postgres.sh
#   BIN=/tmp/huiwu-before benches/callbacks_postgres.sh   # another build of huiwu, to compare
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
POOL=${POOL:-8}
REQUESTS=${REQUESTS:-50000}
RATE=${RATE:-1000}
SQLITE=${SQLITE:-1}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
PORT=18080
BIN=${BIN:-./target/release/huiwu}

cargo build --release --bin huiwu --example loadgen
psql -q -d postgres -c "DROP DATABASE IF EXISTS huiwu_bench" -c "DROP DATABASE IF EXISTS pgbench_bench" \
  -c "CREATE DATABASE huiwu_bench" -c "CREATE DATABASE pgbench_bench"
pgbench -q -i -s 1 pgbench_bench >/dev/null 2>&1

server=""
stop() { [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; server=""; }
trap stop EXIT

start() { # $1: database URL
  HUIWU__DATABASE__URL="$1" HUIWU__DATABASE__POOL_SIZE="$POOL" HUIWU__LOG__LEVEL=warn \
  HUIWU__SERVER__BIND="127.0.0.1:$PORT" HUIWU__SERVER__PUBLIC_URL="http://127.0.0.1:$PORT" \
    "$BIN" --config config/example.toml serve >/dev/null &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && return; sleep 0.1; done
  echo "huiwu did not start" >&2; exit 1
}

load() { # closed loop, the fixed rate, then a command that takes its transaction
  ./target/release/examples/loadgen --url "http://127.0.0.1:$PORT" --requests "$REQUESTS" --concurrency 64
  ./target/release/examples/loadgen --url "http://127.0.0.1:$PORT" --rate "$RATE" --seconds 20 --concurrency 32
  ./target/release/examples/loadgen --url "http://127.0.0.1:$PORT" --requests $((REQUESTS / 2)) --concurrency 64 \
    --text "绑定 E0000" | sed 's/^closed loop/绑定 E0000, closed loop/'
}

echo "== PostgreSQL $(psql -tA -d postgres -c 'SHOW server_version'), synchronous_commit $(psql -tA -d postgres -c 'SHOW synchronous_commit'), pool_size $POOL"
start "postgres://$PGUSER@$PGHOST:$PGPORT/huiwu_bench"
for run in $(seq "$RUNS"); do
  echo "-- run $run"
  pgbench -N -c 32 -j 2 -T 10 pgbench_bench 2>/dev/null | grep -E '^tps' | sed 's/^/pgbench -N -c 32 -j 2 -T 10: /'
  load
done
stop

if [ "$SQLITE" = 1 ]; then
  dir=$(mktemp -d)
  echo "== SQLite ($dir)"
  start "sqlite://$dir/bench.db"
  for run in $(seq "$RUNS"); do echo "-- run $run"; load; done
  stop
  rm -rf "$dir"
fi
