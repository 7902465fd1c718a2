#!/usr/bin/env bash
# Runs the whole test suite, as the README says and as .ci/run does:
#   1. installs the npm packages of dev/ and tests/fhir-packages/ (npm ci) when node_modules is
#      missing or older than package-lock.json,
#   2. makes sure the pinned Bicep CLI is in the NuGet cache (infra/bicep.sh),
#   3. builds the solution once (Release),
#   4. runs every test project with `dotnet test --no-build` (VSTest, TRX logger; each project
#      writes tests/<Project>/TestResults/*.trx; the test projects start their own emulators),
#   5. prints the emulator readiness and fault-injection figures (stderr), adds up the TRX counters
#      and prints one closing line: `N passed, N failed[, N skipped]`.
# Exits non-zero when the build fails, a test fails, a test run breaks, or no test ran.
# Extra arguments go to `dotnet test`, e.g. ./test.sh --filter "FullyQualifiedName~Infra".
#
# ./test.sh --fast runs the Fast tier only: the tests marked [Trait("Tier", "Fast")], which need no emulator,
# server or child process (every test class is in exactly one tier, Fast or Stack; each test project checks it).
# It skips what only the Stack tier needs: dev/'s npm packages (the emulators), the Bicep CLI and the FHIR dev
# server's node tests. A --filter given with --fast is narrowed to the Fast tier.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

readonly configuration=Release
readonly solution=PrecisionMed.Serverless.sln

fast=false
test_arguments=()
while (($# > 0)); do
  case $1 in
    --fast) fast=true ;;
    *) test_arguments+=("$1") ;;
  esac
  shift
done
if $fast; then
  # The fuzz tests run a tenth of their fixed-seed cases, at least 100 (the first ones, which the whole suite runs too).
  export PMED_FUZZ_SCALE=0.1
  # The Fast tier's validation tests read the FHIR packages; the emulators in dev/ are not started.
  readonly npm_folders=(tests/fhir-packages)
  narrowed=false
  for i in "${!test_arguments[@]}"; do
    if [[ ${test_arguments[i]} == --filter && $((i + 1)) -lt ${#test_arguments[@]} ]]; then
      test_arguments[i + 1]="(${test_arguments[i + 1]})&Tier=Fast"
      narrowed=true
    fi
  done
  $narrowed || test_arguments+=(--filter "Tier=Fast")
else
  readonly npm_folders=(dev tests/fhir-packages)
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
# No dynamic PGO in the test processes (and the pmed children they start): it instruments every hot method and compiles
# it again, which pays back in a server that runs for hours, not in test processes of seconds to minutes. On CI's two
# cores it took the Fast tier from 129 s to 98 s (2026-12-08, side by side); production code is unchanged.
export DOTNET_TieredPGO=0

fail() {
  echo "test.sh: $*" >&2
  exit 1
}

install_npm_packages() {
  local folder=$1
  [[ -f "$folder/package.json" ]] || fail "$folder/package.json is missing: the tests need the npm packages it lists."
  [[ -f "$folder/package-lock.json" ]] ||
    fail "$folder/package-lock.json is missing: commit it (run 'npm install' in $folder) so that 'npm ci' installs the exact versions."
  # npm ci records what it installed in node_modules/.package-lock.json.
  if [[ -f "$folder/node_modules/.package-lock.json" && ! "$folder/package-lock.json" -nt "$folder/node_modules/.package-lock.json" ]]; then
    return 0
  fi
  echo "test.sh: npm ci in $folder"
  (cd "$folder" && npm ci --no-audit --no-fund) || fail "npm ci in $folder failed."
}

# Adds up one counter over all TRX files; VSTest writes <Counters .../> on one line.
sum_counter() {
  local name=$1 total=0 value file
  shift
  for file in "$@"; do
    value="$(sed -n "s/.*<Counters[^>]* $name=\"\([0-9]*\)\".*/\1/p" "$file" | head -n 1)"
    total=$((total + ${value:-0}))
  done
  echo "$total"
}

for folder in "${npm_folders[@]}"; do
  install_npm_packages "$folder"
done

if ! $fast; then
  infra/bicep.sh --restore-only >/dev/null || fail "the Bicep CLI could not be restored (infra/bicep.sh)."
fi

if ! dotnet build "$solution" -c "$configuration" --nologo; then
  fail "the build of $solution failed; no test ran."
fi

# Results of an earlier run would be counted again.
find tests src -type d -name TestResults -prune -exec rm -rf {} +

# The FHIR dev server's own behaviour tests (node's test runner), counted with the rest; they start the server,
# so they belong to the Stack tier.
node_status=0
if $fast; then
  node_passed=0
  node_failed=0
else
  node_report=$(mktemp)
  node --test --test-reporter=tap dev/fhir-server.test.mjs >"$node_report" 2>&1 || node_status=$?
  node_passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$node_report" | tail -n 1)
  node_failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$node_report" | tail -n 1)
  if ((node_status != 0)) || [[ -z "$node_passed" ]]; then
    cat "$node_report" >&2
    echo "test.sh: node --test dev/fhir-server.test.mjs exited with $node_status." >&2
  fi
  rm -f "$node_report"
fi

export PMED_STACK_REPORT="$PWD/TestResults/stack-readiness.log"
# The fault-injection tests append one line a scenario: faults by kind, writer retries by reason, 429s,
# circuit-breaker opens, queue redeliveries (the retries a CI run observed).
export PMED_FAULT_REPORT="$PWD/TestResults/fault-injection.log"
mkdir -p TestResults
: >"$PMED_STACK_REPORT"
: >"$PMED_FAULT_REPORT"

# MSBuild runs one VSTest per project, as many at once as there are cores (2 on CI). Not more: every project at once
# took as long on a quiet machine (593-597 s against 605 s), and on a clean machine the projects that build a
# validator could unpack the FHIR core specification into the same temporary cache at the same moment.
# --blame-hang-timeout turns a hung test (e.g. a stuck emulator) into a failed run with the name
# of the test instead of a run that never ends.
test_status=0
dotnet test "$solution" -c "$configuration" --no-build --nologo \
  --logger trx --blame-hang-timeout 15m --blame-hang-dump-type none ${test_arguments[@]+"${test_arguments[@]}"} || test_status=$?

mapfile -t trx_files < <(find tests src -path '*/TestResults/*.trx' -type f | sort)
if ((${#trx_files[@]} == 0)); then
  echo "test.sh: dotnet test wrote no TRX file (exit code $test_status)." >&2
  echo "0 passed, 0 failed"
  exit 1
fi

total=$(sum_counter total "${trx_files[@]}")
executed=$(sum_counter executed "${trx_files[@]}")
passed=$(($(sum_counter passed "${trx_files[@]}") + ${node_passed:-0}))
failed=$((${node_failed:-0} + $(sum_counter failed "${trx_files[@]}") + $(sum_counter error "${trx_files[@]}") +
  $(sum_counter timeout "${trx_files[@]}") + $(sum_counter aborted "${trx_files[@]}")))
# VSTest leaves notExecuted at 0 for skipped tests and counts them only in total - executed.
skipped=$((total - executed))

exit_status=0
if ((test_status != 0)); then
  echo "test.sh: dotnet test exited with $test_status (see the output above)." >&2
  exit_status=1
fi
if ((failed > 0)) || ((node_status != 0)) || [[ -z "$node_passed" ]]; then
  exit_status=1
fi
if ((executed == 0)); then
  echo "test.sh: no test ran." >&2
  exit_status=1
fi

echo "test.sh: emulator readiness (spawn to first good answer):" >&2
if [[ -s "$PMED_STACK_REPORT" ]]; then
  sed 's/^/  /' "$PMED_STACK_REPORT" >&2
else
  echo "  (no local stack started)" >&2
fi
echo "test.sh: fault injection (retries observed):" >&2
if [[ -s "$PMED_FAULT_REPORT" ]]; then
  sed 's/^/  /' "$PMED_FAULT_REPORT" >&2
else
  echo "  (no fault-injection test ran)" >&2
fi
if $fast; then
  echo "test.sh: Fast tier: ${#trx_files[@]} test projects reported, finished in ${SECONDS}s." >&2
else
  echo "test.sh: ${#trx_files[@]} test projects and the FHIR dev server's node tests reported, finished in ${SECONDS}s." >&2
fi
summary="$passed passed, $failed failed"
if ((skipped > 0)); then
  summary+=", $skipped skipped"
fi
echo "$summary"
exit "$exit_status"
