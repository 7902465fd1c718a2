#!/usr/bin/env bash
# Peak memory of `pmed ingest` on a large VCF with a region filter, plain and BGZF.
#   bench/vcf-memory.sh [FILE.vcf]
# Without FILE it generates the benchmark file with the bench's vcf-generate: 2,000,000 single-sample records
# (~150-byte INFO, FORMAT GT:AD:DP:GQ, fixed seed) under ${BENCH_DIR:-/tmp/pmed-vcf-bench}, the same file
# bench/vcf-vs-bcftools.sh uses; VCF_RECORDS=N generates N records instead (a quick check: VCF_RECORDS=50000).
# It bgzips FILE, then runs `pmed ingest FILE --regions BED --out DIR --json` (src/Cli, Release) under
# /usr/bin/time -v for each form and prints the records counted and reported, the elapsed time, and
#   peak_rss_mb_plain=N   peak_rss_mb_bgzf=N   (maximum resident set size, MB = 10^6 bytes)
# It exits 1 when either is >= ${MAX_RSS_MB:-300} MB. BED defaults to bench/data/panel-grch38.bed: 46 gene spans
# of a hereditary-cancer, cardio and pharmacogene panel (approximate GRCh38 gene spans: a benchmark's region set,
# not a clinical panel definition; about 4.6 Mb; about 3,100 records of the 2M-record file,
# of which about 2,700 PASS non-reference, under the 10,000 --max-variants default). Needs bgzip (Debian tabix).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

for tool in bgzip dotnet /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "vcf-memory.sh: $tool is missing (apt-get install tabix time)" >&2; exit 1; }
done

readonly limit_mb=${MAX_RSS_MB:-300}
readonly bed=${BED:-bench/data/panel-grch38.bed}
[[ -s $bed ]] || { echo "vcf-memory.sh: $bed is missing" >&2; exit 1; }

dotnet build src/Cli -c Release -v quiet -nologo >/dev/null
readonly pmed_dll=src/Cli/bin/Release/net10.0/pmed.dll
dir=${BENCH_DIR:-/tmp/pmed-vcf-bench}
mkdir -p "$dir"

if [[ $# -ge 1 ]]; then
  plain=$1
else
  records=${VCF_RECORDS:-2000000}
  plain=$dir/bench-$([[ $records == 2000000 ]] && echo 2m || echo "$records").vcf
  if [[ ! -s $plain ]]; then
    dotnet build bench -c Release -v quiet -nologo >/dev/null
    echo "generating $plain ($records records)"
    dotnet bench/bin/Release/net10.0/PrecisionMed.Bench.dll vcf-generate "$plain" "$records"
  fi
fi
bgzf=$plain.gz
[[ -s $bgzf && $bgzf -nt $plain ]] || bgzip -c -@2 "$plain" > "$bgzf"

echo "file: $plain ($(($(stat -c %s "$plain") / 1000000)) MB uncompressed; BGZF $(($(stat -c %s "$bgzf") / 1000000)) MB); regions: $bed ($(grep -vc '^#' "$bed") lines)"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"

# The JSON result's recordCounts (VCF records by outcome, summed over samples) -> "total reported".
record_counts() {
  awk '/"recordCounts": \{/ { inside = 1; next }
       inside && /\}/ { inside = 0 }
       inside { gsub(/[",]/, ""); total += $2; if ($1 == "reported:") reported = $2 }
       END { printf "%d %d\n", total, reported }' "$1"
}

declare -A peak
status=0
for form in plain bgzf; do
  file=$plain
  [[ $form == bgzf ]] && file=$bgzf
  out=$dir/ingest-out-$form
  rm -rf "$out"
  times=$(mktemp) result=$(mktemp)
  if ! /usr/bin/time -v -o "$times" dotnet "$pmed_dll" ingest "$file" --regions "$bed" --out "$out" --json > "$result"; then
    echo "vcf-memory.sh: pmed ingest failed on $file:" >&2
    cat "$result" >&2
    status=2
  fi
  kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$times")
  elapsed=$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$times")
  read -r total reported < <(record_counts "$result")
  bundles=$(find "$out" -name '*.transaction.json' | wc -l)
  peak[$form]=$((kb * 1024 / 1000000))
  echo "$form: records=$total reported=$reported bundles=$bundles elapsed=$elapsed peak_rss_mb=${peak[$form]}"
  rm -f "$times" "$result"
done

echo "peak_rss_mb_plain=${peak[plain]} peak_rss_mb_bgzf=${peak[bgzf]}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
if ((status != 0)); then exit "$status"; fi
for form in plain bgzf; do
  if ((peak[$form] >= limit_mb)); then
    echo "vcf-memory.sh: $form peak RSS ${peak[$form]} MB is not under $limit_mb MB" >&2
    status=1
  fi
done
exit "$status"
