#!/usr/bin/env bash
# Makes this machine's PostgreSQL cluster `main` (127.0.0.1:5432) the primary of a streaming
# replica, cluster `replica` on 127.0.0.1:5433, and starts it. Idempotent; run as root. CI runs it
# before the tests (tests/test_replica.py reads through it); docs/deploy.md gives the same steps
# for two machines.
set -euo pipefail

VERSION="${PG_VERSION:-$(ls /etc/postgresql | sort -V | tail -1)}"
PRIMARY_PORT="${PRIMARY_PORT:-5432}"
REPLICA_PORT="${REPLICA_PORT:-5433}"
NAME=replica
SLOT=local_replica
MAIN_CONF="/etc/postgresql/$VERSION/main"
REPLICA_DATA="/var/lib/postgresql/$VERSION/$NAME"
as_postgres() { runuser -u postgres -- "$@"; }
primary_sql() { as_postgres psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -Atqc "$1"; }

# The primary must accept replication connections from loopback (its `host all` line does not
# cover them: replication is matched only by the `replication` keyword).
if ! grep -qE '^\s*host\s+replication\s+all\s+127\.0\.0\.1/32' "$MAIN_CONF/pg_hba.conf"; then
  echo "host replication all 127.0.0.1/32 trust" >> "$MAIN_CONF/pg_hba.conf"
  primary_sql "SELECT pg_reload_conf()" >/dev/null
fi

cluster_exists() {
  pg_lsclusters -h | awk -v v="$VERSION" -v n="$NAME" '$1 == v && $2 == n {found=1} END {exit !found}'
}
if ! cluster_exists; then
  pg_createcluster "$VERSION" "$NAME" --port "$REPLICA_PORT" >/dev/null
  # Loopback only, as the primary; feedback keeps the primary's vacuum from cancelling reads.
  printf "listen_addresses = '127.0.0.1'\nhot_standby_feedback = on\n" \
    > "/etc/postgresql/$VERSION/$NAME/conf.d/90-replica.conf"
  # Same client authentication as the primary (on these machines: trust on loopback).
  cp "$MAIN_CONF/pg_hba.conf" "/etc/postgresql/$VERSION/$NAME/pg_hba.conf"
fi
# The replica's data directory is a base backup of the primary; -R writes standby.signal and
# primary_conninfo. A physical slot keeps the WAL the replica has not yet received.
if [ ! -f "$REPLICA_DATA/standby.signal" ]; then
  pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$NAME" stop 2>/dev/null || true
  install -d -o postgres -g postgres -m 700 "$REPLICA_DATA"
  find "$REPLICA_DATA" -mindepth 1 -delete
  if [ "$(primary_sql "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$SLOT'")" != 0 ]; then
    primary_sql "SELECT pg_drop_replication_slot('$SLOT')" >/dev/null
  fi
  as_postgres pg_basebackup -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$REPLICA_DATA" \
    -R -X stream -C -S "$SLOT"
fi

if ! pg_isready -h 127.0.0.1 -p "$REPLICA_PORT" -q; then
  pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$NAME" start
fi
for _ in $(seq 30); do
  pg_isready -h 127.0.0.1 -p "$REPLICA_PORT" -q && break
  sleep 1
done
in_recovery="$(as_postgres psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -Atqc 'SELECT pg_is_in_recovery()')"
if [ "$in_recovery" != t ]; then
  echo "cluster $VERSION/$NAME on port $REPLICA_PORT is not a standby" >&2
  exit 1
fi
echo "replica $VERSION/$NAME streaming from 127.0.0.1:$PRIMARY_PORT on 127.0.0.1:$REPLICA_PORT"
