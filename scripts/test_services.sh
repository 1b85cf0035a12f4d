# Sourced by ./test: finds (or installs, or starts) the services the tests need and exports
#   TEST_REDIS_URL      a Redis the tests may use (own db indexes 10 and up; never flushed whole)
#   TEST_DATABASE_URL   a PostgreSQL database the tests connect to first (they create their own)
# Services we start are stopped on exit by PID; services already running are left alone.

redis_answers() {
  .venv/bin/python - "$1" <<'PY' >/dev/null 2>&1
import sys, redis
redis.Redis.from_url(sys.argv[1], socket_connect_timeout=2).ping()
PY
}

postgres_answers() {
  .venv/bin/python - "$1" <<'PY' >/dev/null 2>&1
import sys, psycopg
url = sys.argv[1].replace("postgresql+psycopg://", "postgresql://")
psycopg.connect(url, connect_timeout=3).close()
PY
}

started_test_redis=""
stop_test_services() {
  if [ -n "$started_test_redis" ]; then .venv/bin/python scripts/embedded_redis.py stop instance/test-redis; fi
}
trap stop_test_services EXIT
trap 'exit 130' INT TERM  # stop here (the EXIT trap cleans up), never go on to the next suite

# Redis: the one named, the local one, or the embedded one.
if [ -n "${TEST_REDIS_URL:-}" ] && redis_answers "$TEST_REDIS_URL"; then
  :
elif redis_answers "redis://127.0.0.1:6379/10"; then
  export TEST_REDIS_URL="redis://127.0.0.1:6379/10"
else
  echo "No Redis answers on 127.0.0.1:6379: starting the embedded one."
  socket_url=$(.venv/bin/python scripts/embedded_redis.py start instance/test-redis)
  started_test_redis=yes
  export TEST_REDIS_URL="${socket_url}?db=10"
fi

# PostgreSQL: the one named, the local one, or Debian's package installed and started here.
if [ -n "${TEST_DATABASE_URL:-}" ] && postgres_answers "$TEST_DATABASE_URL"; then
  :
elif postgres_answers "postgresql+psycopg://127.0.0.1:5432/test"; then
  export TEST_DATABASE_URL="postgresql+psycopg://127.0.0.1:5432/test"
elif postgres_answers "postgresql+psycopg:///postgres?host=/var/run/postgresql"; then
  export TEST_DATABASE_URL="postgresql+psycopg:///postgres?host=/var/run/postgresql"
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "No PostgreSQL answers: installing and starting Debian's package."
  if ! command -v pg_ctlcluster >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  version=$(ls /etc/postgresql | sort -n | tail -1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$(id -un)'\"" | grep -q 1 \
    || su postgres -c "createuser --superuser $(id -un)"
  export TEST_DATABASE_URL="postgresql+psycopg:///postgres?host=/var/run/postgresql"
  postgres_answers "$TEST_DATABASE_URL" || { echo "PostgreSQL did not start." >&2; exit 1; }
else
  echo "The tests need PostgreSQL: set TEST_DATABASE_URL, or run ./test as root to install it." >&2
  exit 1
fi
echo "Test services: Redis $TEST_REDIS_URL, PostgreSQL $TEST_DATABASE_URL"
