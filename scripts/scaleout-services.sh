#!/usr/bin/env bash
# Local scale-out services for tests: PostgreSQL, Redis and a moto S3 server, on loopback only,
# with all their data under one temporary folder.
#
#   scripts/scaleout-services.sh start DIR   # installs what is missing, starts, writes DIR/env
#   scripts/scaleout-services.sh stop DIR    # stops all three and removes DIR
#
# DIR/env holds the variables that switch Masterbus to the scale-out settings (README "Scale-out").
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

free_port() {
	"$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for_port() { # port, name: a service that is not up within 30 s fails the run
	for _ in $(seq 300); do
		if "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $1), 0.2)" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	echo "$2 did not start on port $1" >&2
	return 1
}

install_missing() {
	local missing=()
	compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
	command -v redis-server >/dev/null || missing+=(redis-server)
	if ((${#missing[@]})); then
		apt-get update -q
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
	fi
}

start() {
	local dir=$1
	install_missing
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	chmod 755 "$dir"
	local pgbin pg_port redis_port s3_port
	pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
	pg_port=$(free_port)
	redis_port=$(free_port)
	s3_port=$(free_port)

	# PostgreSQL refuses to run as root: its data folder belongs to the postgres user.
	mkdir -p "$dir/pg"
	chown postgres: "$dir/pg"
	runuser -u postgres -- "$pgbin/initdb" -D "$dir/pg/data" -U masterbus -A trust >/dev/null
	runuser -u postgres -- "$pgbin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/log" -w start \
		-o "-c listen_addresses=127.0.0.1 -p $pg_port -k $dir/pg -c fsync=off -c full_page_writes=off" \
		>/dev/null
	runuser -u postgres -- "$pgbin/createdb" -h 127.0.0.1 -p "$pg_port" -U masterbus masterbus

	redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
		--daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir"
	wait_for_port "$redis_port" redis

	setsid "$PY" -m moto.server -H 127.0.0.1 -p "$s3_port" >"$dir/moto.log" 2>&1 &
	echo $! >"$dir/moto.pid"
	wait_for_port "$s3_port" "moto S3"

	cat >"$dir/env" <<-EOF
		export DATABASE_URL=postgres://masterbus@127.0.0.1:$pg_port/masterbus
		export REDIS_URL=redis://127.0.0.1:$redis_port/0
		export S3_BUCKET=masterbus
		export S3_ENDPOINT_URL=http://127.0.0.1:$s3_port
		export S3_REGION=us-east-1
		export AWS_ACCESS_KEY_ID=testing
		export AWS_SECRET_ACCESS_KEY=testing
	EOF
	# shellcheck disable=SC1091
	(source "$dir/env" && "$PY" -c '
import os, boto3
boto3.client("s3", endpoint_url=os.environ["S3_ENDPOINT_URL"],
             region_name=os.environ["S3_REGION"]).create_bucket(Bucket=os.environ["S3_BUCKET"])
')
	echo "scale-out services running: PostgreSQL :$pg_port, Redis :$redis_port, S3 :$s3_port ($dir/env)"
}

stop() {
	local dir=$1
	[ -d "$dir" ] || return 0
	local pgbin
	pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
	if [ -f "$dir/pg/data/postmaster.pid" ]; then
		runuser -u postgres -- "$pgbin/pg_ctl" -D "$dir/pg/data" -m immediate -w stop >/dev/null || true
	fi
	for pidfile in "$dir/redis.pid" "$dir/moto.pid"; do
		if [ -f "$pidfile" ]; then
			kill "$(cat "$pidfile")" 2>/dev/null || true
		fi
	done
	sleep 0.5
	rm -rf "$dir"
}

case "${1:-}" in
start) start "${2:?usage: $0 start DIR}" ;;
stop) stop "${2:?usage: $0 stop DIR}" ;;
*)
	echo "usage: $0 start|stop DIR" >&2
	exit 2
	;;
esac
