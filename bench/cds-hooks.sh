#!/usr/bin/env bash
# CDS Hooks latency at the point of care: `pmed serve` (src/Cli, Release) on a local stack of its own (Azurite,
# cosmosdb-server, the FHIR dev server, each on a free port: dev/ must have its node modules, `npm ci --prefix dev`),
# the sample HL7 v2 batch ingested (its PGx patient is a CYP2C19 poor metabolizer), then 1,000 order-select calls to
# pgx-prescribing for clopidogrel, 8 concurrent, each with its own JWT from a test EHR issuer (RSA, JWKS on loopback),
# after 50 warm-up calls (JIT, knowledge cache, JWKS). The round trip is timed by the caller, token signing excluded.
#   bench/cds-hooks.sh [CALLS] [CONCURRENCY]
# Prints p50/p95/p99 (ms), calls/s and "target p95 <= 100 ms per hook call: MET|NOT MET". On a shared machine the
# figures include the neighbours' load: compare figures of one run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

command -v dotnet >/dev/null || { echo "cds-hooks.sh: dotnet is missing" >&2; exit 1; }
[[ -d dev/node_modules ]] || { echo "cds-hooks.sh: run npm ci --prefix dev first (the local stack's node services)" >&2; exit 1; }

dotnet build src/Cli -c Release -v quiet -nologo >/dev/null
dotnet build bench -c Release -v quiet -nologo >/dev/null
exec dotnet bench/bin/Release/net10.0/PrecisionMed.Bench.dll cds-hooks-load src/Cli/bin/Release/net10.0/pmed.dll "${1:-1000}" "${2:-8}"
