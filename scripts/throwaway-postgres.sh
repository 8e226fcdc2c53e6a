# Sourced, not run: a throw-away PostgreSQL for tests and benchmarks (issue 11).
#
#   source scripts/throwaway-postgres.sh
#   throwaway_postgres_start [-c name=value …]   # initdb + start; exports TOKEN_AUTH_PG_URL,
#                                                # TOKEN_AUTH_PG_STOP, TOKEN_AUTH_PG_START
#   throwaway_postgres_restart [-c name=value …] # same data, other settings
#   trap throwaway_postgres_cleanup EXIT          # stop it and delete its folder
#
# It initdb's into a temporary folder and listens on a free port on loopback only (plus a
# socket in that folder), with trust authentication for the one user `tokenauth`. As root it
# runs as the unprivileged user `tokenauth-pg` (initdb and postgres refuse root).

throwaway_postgres_bin=""
throwaway_postgres_work=""
throwaway_postgres_run_as=()

throwaway_postgres_ctl() {
  (cd "$throwaway_postgres_work" && "${throwaway_postgres_run_as[@]}" "$throwaway_postgres_bin/pg_ctl" -D "$throwaway_postgres_work/data" "$@")
}

throwaway_postgres_options() {
  printf -- '-c listen_addresses=127.0.0.1 -p %s -k %s/socket -c max_connections=200' \
    "$throwaway_postgres_port" "$throwaway_postgres_work"
  [ $# -eq 0 ] || printf ' %s' "$@"
}

throwaway_postgres_start() {
  local candidate
  for candidate in "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")" /usr/lib/postgresql/*/bin; do
    if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then throwaway_postgres_bin=$candidate; break; fi
  done
  [ -n "$throwaway_postgres_bin" ] || { echo "no initdb: .ci/install.d/70-postgres.sh installs Debian's postgresql" >&2; return 1; }
  if [ "$(id -u)" = 0 ]; then
    id tokenauth-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin tokenauth-pg
    throwaway_postgres_run_as=(runuser -u tokenauth-pg --)
  fi
  throwaway_postgres_work=$(mktemp -d /tmp/token-auth-pg.XXXXXX)
  chmod 755 "$throwaway_postgres_work"
  mkdir "$throwaway_postgres_work/socket"
  [ ${#throwaway_postgres_run_as[@]} -eq 0 ] || chown -R tokenauth-pg "$throwaway_postgres_work"
  throwaway_postgres_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  (cd "$throwaway_postgres_work" && "${throwaway_postgres_run_as[@]}" "$throwaway_postgres_bin/initdb" \
      -D "$throwaway_postgres_work/data" -U tokenauth --auth=trust --no-sync -E UTF8 >"$throwaway_postgres_work/initdb.log") \
    || { cat "$throwaway_postgres_work/initdb.log"; return 1; }
  local options
  options=$(throwaway_postgres_options "$@")
  throwaway_postgres_ctl start -w -l "$throwaway_postgres_work/server.log" -o "$options" >/dev/null \
    || { cat "$throwaway_postgres_work/server.log"; return 1; }
  echo "$("$throwaway_postgres_bin/postgres" --version) on 127.0.0.1:$throwaway_postgres_port (data $throwaway_postgres_work/data)"

  export TOKEN_AUTH_PG_URL="postgres://tokenauth@127.0.0.1:$throwaway_postgres_port/postgres"
  local quoted_run_as=""
  [ ${#throwaway_postgres_run_as[@]} -eq 0 ] || quoted_run_as="runuser -u tokenauth-pg --"
  local data="$throwaway_postgres_work/data"
  export TOKEN_AUTH_PG_STOP="cd $throwaway_postgres_work && $quoted_run_as $throwaway_postgres_bin/pg_ctl -D $data stop -m fast -w >/dev/null"
  export TOKEN_AUTH_PG_START="cd $throwaway_postgres_work && $quoted_run_as $throwaway_postgres_bin/pg_ctl -D $data start -w -l $throwaway_postgres_work/server.log -o '$options' >/dev/null 2>&1 </dev/null"
}

throwaway_postgres_restart() {
  local options
  options=$(throwaway_postgres_options "$@")
  throwaway_postgres_ctl stop -m fast -w >/dev/null
  throwaway_postgres_ctl start -w -l "$throwaway_postgres_work/server.log" -o "$options" >/dev/null \
    || { cat "$throwaway_postgres_work/server.log"; return 1; }
}

throwaway_postgres_cleanup() {
  [ -n "$throwaway_postgres_work" ] || return 0
  throwaway_postgres_ctl stop -m immediate >/dev/null 2>&1 || true
  rm -rf "$throwaway_postgres_work"
}
