#!/usr/bin/env bash
# Local emulator stack for people (tests start their own instances on free ports).
#
#   dev/stack.sh up       start Azurite (10000-10002), cosmosdb-server (8081), FHIR dev server (8080)
#   dev/stack.sh down     stop them
#   dev/stack.sh status   say which are up
#
# Everything listens on 127.0.0.1 only. Pid files and logs live in dev/.stack/ (git-ignored).
# Data is in memory: `down` (or a crash) loses it.
set -euo pipefail

DEV_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STACK_DIR="$DEV_DIR/.stack"
BIN="$DEV_DIR/node_modules/.bin"
HOST=127.0.0.1
START_TIMEOUT_S="${STACK_START_TIMEOUT_S:-60}"

BLOB_PORT=10000
QUEUE_PORT=10001
TABLE_PORT=10002
COSMOS_PORT=8081
FHIR_PORT=8080

SERVICES=(azurite cosmos fhir)

# Azurite's well-known development account (public, documented by Microsoft; not a secret).
AZURITE_ACCOUNT=devstoreaccount1
AZURITE_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
# cosmosdb-server accepts any base64 key.
COSMOS_KEY='ZGV2LXN0YWNrLWtleQ=='

log() { printf '%s\n' "$*"; }
err() { printf '%s\n' "$*" >&2; }

need_node_modules() {
  if [[ ! -x "$BIN/azurite" || ! -x "$BIN/cosmosdb-server" || ! -d "$DEV_DIR/node_modules/@medplum/fhir-router" ]]; then
    log "node_modules missing: running npm ci in $DEV_DIR ..."
    (cd "$DEV_DIR" && npm ci --no-audit --no-fund)
  fi
}

# HTTP probe: prints the status code, "000" when nothing answers.
http_code() {
  local url="$1"
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null -m 2 -w '%{http_code}' "$url" 2>/dev/null || true
  else
    node -e '
      const r = require("http").get(process.argv[1], { timeout: 2000 }, (res) => { console.log(res.statusCode); res.resume(); });
      r.on("error", () => console.log("000")); r.on("timeout", () => { r.destroy(); });
    ' "$url" 2>/dev/null || echo 000
  fi
}

# Ready when: azurite's three ports answer any HTTP status; cosmos GET / answers 200 (database
# account); fhir GET /metadata answers 200.
probe() {
  case "$1" in
    azurite)
      local p code
      for p in $BLOB_PORT $QUEUE_PORT $TABLE_PORT; do
        code="$(http_code "http://$HOST:$p/")"
        [[ -n "$code" && "$code" != 000 ]] || return 1
      done
      ;;
    cosmos) [[ "$(http_code "http://$HOST:$COSMOS_PORT/")" == 200 ]] ;;
    fhir) [[ "$(http_code "http://$HOST:$FHIR_PORT/metadata")" == 200 ]] ;;
  esac
}

ports_of() {
  case "$1" in
    azurite) echo "$BLOB_PORT $QUEUE_PORT $TABLE_PORT" ;;
    cosmos) echo "$COSMOS_PORT" ;;
    fhir) echo "$FHIR_PORT" ;;
  esac
}

pid_file() { echo "$STACK_DIR/$1.pid"; }
log_file() { echo "$STACK_DIR/$1.log"; }

running_pid() {
  local f pid
  f="$(pid_file "$1")"
  [[ -f "$f" ]] || return 1
  pid="$(cat "$f")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && { echo "$pid"; return 0; }
  return 1
}

start_one() {
  local name="$1" logf
  logf="$(log_file "$name")"
  : >"$logf"
  case "$name" in
    azurite)
      mkdir -p "$STACK_DIR/azurite"
      # cwd is a scratch dir so that nothing Azurite writes ends up in the repo
      (cd "$STACK_DIR/azurite" && exec nohup "$BIN/azurite" \
        --blobHost "$HOST" --blobPort "$BLOB_PORT" \
        --queueHost "$HOST" --queuePort "$QUEUE_PORT" \
        --tableHost "$HOST" --tablePort "$TABLE_PORT" \
        --skipApiVersionCheck --loose --inMemoryPersistence --disableTelemetry \
        >"$logf" 2>&1 </dev/null) &
      ;;
    cosmos)
      (exec nohup "$BIN/cosmosdb-server" --host "$HOST" -p "$COSMOS_PORT" --no-ssl >"$logf" 2>&1 </dev/null) &
      ;;
    fhir)
      (exec nohup node --experimental-websocket "$DEV_DIR/fhir-server.mjs" --host "$HOST" --port "$FHIR_PORT" \
        >"$logf" 2>&1 </dev/null) &
      ;;
  esac
  echo $! >"$(pid_file "$name")"
}

stop_one() {
  local name="$1" pid
  if pid="$(running_pid "$name")"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "stopped $name (pid $pid)"
  fi
  rm -f "$(pid_file "$name")"
}

print_settings() {
  cat <<EOF

Endpoints (loopback only, in-memory data):
  Azurite blob    http://$HOST:$BLOB_PORT/$AZURITE_ACCOUNT
  Azurite queue   http://$HOST:$QUEUE_PORT/$AZURITE_ACCOUNT
  Azurite table   http://$HOST:$TABLE_PORT/$AZURITE_ACCOUNT
  Cosmos DB       http://$HOST:$COSMOS_PORT/
  FHIR R4         http://$HOST:$FHIR_PORT/

Storage connection string (AzureWebJobsStorage and the storage adapters; same as UseDevelopmentStorage=true):
  DefaultEndpointsProtocol=http;AccountName=$AZURITE_ACCOUNT;AccountKey=$AZURITE_KEY;BlobEndpoint=http://$HOST:$BLOB_PORT/$AZURITE_ACCOUNT;QueueEndpoint=http://$HOST:$QUEUE_PORT/$AZURITE_ACCOUNT;TableEndpoint=http://$HOST:$TABLE_PORT/$AZURITE_ACCOUNT;

Cosmos DB (Microsoft.Azure.Cosmos: ConnectionMode.Gateway, LimitToEndpoint = true; any base64 key):
  AccountEndpoint=http://$HOST:$COSMOS_PORT/;AccountKey=$COSMOS_KEY;

FHIR base URL:
  http://$HOST:$FHIR_PORT/

Logs and pids: $STACK_DIR
EOF
}

cmd_up() {
  need_node_modules
  mkdir -p "$STACK_DIR"
  local name p started=() failed=""
  for name in "${SERVICES[@]}"; do
    if running_pid "$name" >/dev/null; then
      log "$name already running (pid $(running_pid "$name"))"
      continue
    fi
    for p in $(ports_of "$name"); do
      if [[ "$(http_code "http://$HOST:$p/")" != 000 ]]; then
        err "FAILED: $name: port $p on $HOST is already in use by another process"
        failed="$name"
        break
      fi
    done
    [[ -z "$failed" ]] || break
    start_one "$name"
    started+=("$name")
  done

  local deadline=$((SECONDS + START_TIMEOUT_S)) pending=("${started[@]}") next t0=$SECONDS
  while [[ -z "$failed" && ${#pending[@]} -gt 0 ]]; do
    next=()
    for name in "${pending[@]}"; do
      if probe "$name"; then
        log "$name is up ($((SECONDS - t0))s)"
      elif ! running_pid "$name" >/dev/null; then
        err "FAILED: $name exited during start-up"
        failed="$name"
        break
      else
        next+=("$name")
      fi
    done
    pending=("${next[@]}")
    if [[ -z "$failed" && ${#pending[@]} -gt 0 ]]; then
      if ((SECONDS >= deadline)); then
        err "FAILED: ${pending[*]} did not answer within ${START_TIMEOUT_S}s"
        failed="${pending[0]}"
        break
      fi
      sleep 0.2
    fi
  done

  if [[ -n "$failed" ]]; then
    if [[ -f "$(log_file "$failed")" ]]; then
      err "--- last lines of $(log_file "$failed") ---"
      tail -n 30 "$(log_file "$failed")" >&2 || true
      err "---"
    fi
    for name in "${started[@]}"; do stop_one "$name"; done
    exit 1
  fi
  print_settings
}

cmd_down() {
  local name
  for name in "${SERVICES[@]}"; do stop_one "$name"; done
  log "stack is down"
}

cmd_status() {
  local name pid all_up=0
  for name in "${SERVICES[@]}"; do
    if pid="$(running_pid "$name")"; then
      if probe "$name"; then
        log "$name: up (pid $pid, ports $(ports_of "$name"))"
      else
        log "$name: running but not answering (pid $pid, ports $(ports_of "$name"))"
        all_up=1
      fi
    else
      log "$name: down"
      all_up=1
    fi
  done
  return $all_up
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *)
    err "usage: $0 up|down|status"
    exit 2
    ;;
esac
