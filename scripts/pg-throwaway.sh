#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 (for tests and benchmarks) and prints its URL.
# Usage: eval "$(scripts/pg-throwaway.sh start [DIR] [PORT])"   → exports TEST_DATABASE_URL
#        scripts/pg-throwaway.sh stop DIR
set -euo pipefail
cmd=${1:-start}
dir=${2:-$(mktemp -d -t lieu-pg.XXXXXX)}
port=${3:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[ -n "$bin" ] || { echo "echo 'PostgreSQL server not installed (apt-get install postgresql)' >&2; exit 1"; exit 1; }
run_as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi; }
case "$cmd" in
start)
	mkdir -p "$dir/data" "$dir/sock"
	[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$dir"
	chmod 700 "$dir/data"
	run_as_pg "$bin/initdb -D '$dir/data' -U postgres --auth=trust -E UTF8 >'$dir/sock/initdb.log' 2>&1"
	run_as_pg "$bin/pg_ctl -D '$dir/data' -o \"-p $port -k '$dir/sock' -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off\" -l '$dir/sock/pg.log' -w start >/dev/null"
	echo "export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres; export LIEU_PG_DIR=$dir"
	;;
stop)
	run_as_pg "$bin/pg_ctl -D '$dir/data' -m fast stop >/dev/null" || true
	rm -rf "$dir"
	;;
esac
