#!/usr/bin/env bash
# The genomic index and the IG's operations on the local stack (dev/stack.sh: the Cosmos DB emulator server, the FHIR
# dev server), on the path production takes:
#   1. lab files ingested with `pmed ingest --fhir --cosmos --timings` (FHIR written, then the genomic index, as the
#      worker does): one patient's 5 VCF reports of 2,000 variants (10,000) and 1,000 patients' HL7 v2 genomic reports
#      (bench/data/genomic_5variants_pgx.hl7 under each patient's identifier); --timings gives the FHIR write time and
#      the index's extra time and store requests, per report;
#   2. `pmed serve` over that FHIR service and index, and every operation called over HTTP (CALLS times each, one at a
#      time): latency p50/p95 and the store requests and FHIR reads each answer took (headers X-Store-Requests,
#      X-Fhir-Reads).
#   bench/genomic-operations.sh            (CALLS=100 SUBJECT_CALLS=CALLS PATIENTS=1000 by default)
# The local emulator answers a query by scanning its whole container (dev/node_modules/@vercel/cosmosdb-server,
# lib/account/items.js `query`), so its subject latencies grow with everything the index holds, where Cosmos DB reads
# one indexed partition; SUBJECT_CALLS=10 keeps a run short.
# Uses the stack on its fixed ports (8080, 8081), starting it if it is down and stopping it again at the end; a new
# database each run. Times on a shared machine are noisy: compare figures of one run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly calls=${CALLS:-100}
readonly subject_calls=${SUBJECT_CALLS:-$calls}
readonly patients=${PATIENTS:-1000}
readonly fhir=http://127.0.0.1:8080/
readonly cosmos=http://127.0.0.1:8081/
readonly cosmos_key='ZGV2LXN0YWNrLWtleQ=='
readonly database=pmed-bench-$(date +%s)

started_stack=false
if ! dev/stack.sh status >/dev/null 2>&1; then
  dev/stack.sh up >/dev/null
  started_stack=true
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/pmed-genomics-bench.XXXXXX")
serve_pid=
cleanup() {
  [[ -n $serve_pid ]] && kill "$serve_pid" 2>/dev/null || true
  $started_stack && dev/stack.sh down >/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

dotnet build src/Cli -c Release -v quiet -nologo >/dev/null
dotnet build bench -c Release -v quiet -nologo >/dev/null
readonly pmed=src/Cli/bin/Release/net10.0/pmed.dll
readonly bench=bench/bin/Release/net10.0/PrecisionMed.Bench.dll
dotnet "$bench" genomics-data "$work/data" "$patients"

connection=(--fhir "$fhir" --cosmos "$cosmos" --cosmos-key "$cosmos_key" --database "$database")
ingest() {
  local label=$1 folder=$2
  dotnet "$pmed" ingest "$folder" --out "$work/out-$label" "${connection[@]}" --timings --json >/dev/null 2>"$work/$label.err" ||
    { echo "genomic-operations.sh: ingest of $label failed:" >&2; tail -5 "$work/$label.err" >&2; exit 1; }
  local line
  line=$(grep 'timings:' "$work/$label.err")
  echo "$label: ${line#*timings: }"
  awk -v label="$label" '{
      for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    } END {
      n = v["index_entries"]; if (n == 0) n = 1;
      printf "%s: per report: FHIR write %.1f ms; genomic index +%.1f ms (%.0f%% over the FHIR write), %.1f store requests\n",
        label, 1000 * v["fhir_write_seconds"] / v["fhir_writes"], 1000 * v["index_write_seconds"] / n,
        100 * v["index_write_seconds"] / v["fhir_write_seconds"], v["index_store_requests"] / n
    }' <<<"${line#*timings: }"
}
ingest subject "$work/data/subject"
ingest population "$work/data/population"

dotnet "$pmed" serve --port 0 --storage UseDevelopmentStorage=true "${connection[@]}" >"$work/serve.out" 2>&1 &
serve_pid=$!
for _ in $(seq 1 100); do
  grep -q 'listening on' "$work/serve.out" && break
  sleep 0.2
done
url=$(sed -n 's/.*listening on \(http[^ ]*\/api\/\).*/\1/p' "$work/serve.out")
[[ -n $url ]] || { echo "genomic-operations.sh: pmed serve did not start:" >&2; cat "$work/serve.out" >&2; exit 1; }
dotnet "$bench" genomics-load "$url" "$fhir" "$work/data" "$calls" "$subject_calls"
