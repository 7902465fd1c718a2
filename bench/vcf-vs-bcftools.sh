#!/usr/bin/env bash
# The VCF reader's throughput against `bcftools view -H` on the same file, plain and BGZF: how fast the pipeline can
# stream a large VCF before any mapping, beside the tool labs already use.
#   bench/vcf-vs-bcftools.sh [FILE.vcf]
# Without FILE it generates the benchmark file: 2,000,000 single-sample records, ~150-byte INFO,
# FORMAT GT:AD:DP:GQ (fixed seed), under ${BENCH_DIR:-/tmp/pmed-vcf-bench}. It bgzips FILE, then runs each reader
# 3 times per form and prints the medians and
#   ratio_vs_bcftools_plain=X   ratio_vs_bcftools_bgzf=Y   (our MB/s / bcftools MB/s, MB = uncompressed bytes)
# and the same ratios of CPU time (user + sys; steadier than wall time when the machine is shared).
# "Our reader" = bench's vcf-scan: every record parsed, the FILTER/GT policy applied, the fields the mapper
# needs read (CHROM, POS, REF, ALT, GT, AD, DP), counted; BGZF is inflated as intake inflates it (BgzfStream: blocks
# in parallel on every core), so its CPU ratio counts all cores' time. Wall time includes .NET start-up. Needs
# bcftools and bgzip (Debian bcftools, tabix).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

for tool in bcftools bgzip dotnet /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "vcf-vs-bcftools.sh: $tool is missing (apt-get install bcftools tabix time)" >&2; exit 1; }
done

dotnet build bench -c Release -v quiet -nologo >/dev/null
readonly bench_dll=bench/bin/Release/net10.0/PrecisionMed.Bench.dll

if [[ $# -ge 1 ]]; then
  plain=$1
else
  dir=${BENCH_DIR:-/tmp/pmed-vcf-bench}
  mkdir -p "$dir"
  plain=$dir/bench-2m.vcf
  [[ -s $plain ]] || { echo "generating $plain (2,000,000 records)"; dotnet "$bench_dll" vcf-generate "$plain" 2000000; }
fi
bgzf=$plain.gz
[[ -s $bgzf && $bgzf -nt $plain ]] || bgzip -c -@2 "$plain" > "$bgzf"

bytes=$(stat -c %s "$plain")
echo "file: $plain ($((bytes / 1000000)) MB uncompressed; BGZF $(($(stat -c %s "$bgzf") / 1000000)) MB); load: $(cut -d' ' -f1-3 /proc/loadavg)"

# command... -> "wall cpu" seconds (cpu = user + sys). On a shared machine wall time mostly measures the
# neighbours; CPU time is what each reader itself spends, so both ratios are printed.
seconds() {
  local times
  times=$(mktemp)
  /usr/bin/time -o "$times" -f '%e %U %S' "$@" >/dev/null
  awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' "$times"
  rm -f "$times"
}

median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

declare -A result cpu_ratio
for form in plain bgzf; do
  file=$plain
  [[ $form == bgzf ]] && file=$bgzf
  ours=() theirs=() our_cpu=() their_cpu=()
  for _ in 1 2 3; do
    read -r wall cpu < <(seconds dotnet "$bench_dll" vcf-scan "$file"); ours+=("$wall"); our_cpu+=("$cpu")
    read -r wall cpu < <(seconds bcftools view -H "$file"); theirs+=("$wall"); their_cpu+=("$cpu")
  done
  our_s=$(median "${ours[@]}")
  their_s=$(median "${theirs[@]}")
  cpu_ratio[$form]=$(awk -v o="$(median "${our_cpu[@]}")" -v t="$(median "${their_cpu[@]}")" 'BEGIN { printf "%.3f", t / o }')
  printf '%s cpu: ours %.2f s, bcftools %.2f s\n' "$form" "$(median "${our_cpu[@]}")" "$(median "${their_cpu[@]}")"
  our_mbs=$(awk -v b="$bytes" -v s="$our_s" 'BEGIN { printf "%.3f", b / 1e6 / s }')
  their_mbs=$(awk -v b="$bytes" -v s="$their_s" 'BEGIN { printf "%.3f", b / 1e6 / s }')
  printf '%s: ours %.2f s (%.0f MB/s), bcftools view -H %.2f s (%.0f MB/s)\n' "$form" "$our_s" "$our_mbs" "$their_s" "$their_mbs"
  result[$form]=$(awk -v o="$our_mbs" -v t="$their_mbs" 'BEGIN { printf "%.3f", o / t }')
done

printf 'ratio_vs_bcftools_plain=%.2f\n' "${result[plain]}"
printf 'ratio_vs_bcftools_bgzf=%.2f\n' "${result[bgzf]}"
printf 'cpu_ratio_vs_bcftools_plain=%.2f\n' "${cpu_ratio[plain]}"
printf 'cpu_ratio_vs_bcftools_bgzf=%.2f\n' "${cpu_ratio[bgzf]}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
