#!/usr/bin/env bash
# A throwaway PostgreSQL for the inbox's tests and CI.
#
#   eval "$(inbox/scripts/postgres.sh start)"   # exports INBOX_POSTGRES_URL, INBOX_PGDATA, INBOX_PGBIN
#   inbox/scripts/postgres.sh stop "$INBOX_PGDATA"
#
# start installs the Debian package postgresql-15 if it is missing, creates
# a cluster in a new temporary directory (mode 711, owned by the postgres
# user: initdb refuses to run as root), starts it on a free loopback port
# and prints the shell lines that export its URL. stop stops the server
# by its PID and removes the directory.
set -euo pipefail

PGVER=15
PGBIN=/usr/lib/postgresql/$PGVER/bin

as_postgres() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

free_port() {
	python3 - <<'PY'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

start() {
	if [ ! -x "$PGBIN/initdb" ]; then
		echo "postgres.sh: installing postgresql-$PGVER" >&2
		DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$PGVER" >&2
	fi
	if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
		useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
	fi
	local dir port
	dir=$(mktemp -d /tmp/inbox-pg.XXXXXX)
	chmod 711 "$dir"
	mkdir "$dir/data" "$dir/run"
	if [ "$(id -u)" = 0 ]; then
		chown postgres "$dir/data" "$dir/run"
	fi
	as_postgres "$PGBIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	port=$(free_port)
	# In the configuration file, so that a plain "pg_ctl start" (the
	# crash test stops and starts the server) keeps them.
	cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/run'
fsync = on
max_connections = 200
CONF
	as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/run/server.log" -w -t 60 start >&2 ||
		{ cat "$dir/run/server.log" >&2; exit 1; }
	as_postgres "$PGBIN/psql" -h 127.0.0.1 -p "$port" -U postgres -qAt -c "CREATE DATABASE inbox" >/dev/null
	echo "export INBOX_POSTGRES_URL='postgres://postgres@127.0.0.1:$port/inbox?sslmode=disable'"
	echo "export INBOX_PGDATA='$dir/data'"
	echo "export INBOX_PGBIN='$PGBIN'"
	echo "postgres.sh: PostgreSQL $PGVER on 127.0.0.1:$port, data in $dir/data" >&2
}

stop() {
	local data=${1:?usage: postgres.sh stop DATADIR}
	local pid
	if [ -f "$data/postmaster.pid" ]; then
		pid=$(head -1 "$data/postmaster.pid")
		kill -INT "$pid" 2>/dev/null || true
		for _ in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null || true
	fi
	case "$data" in
	/tmp/inbox-pg.*/data) rm -rf "$(dirname "$data")" ;;
	esac
}

case "${1:-}" in
start) start ;;
stop) stop "${2:-}" ;;
*)
	echo "usage: postgres.sh start | stop DATADIR" >&2
	exit 2
	;;
esac
