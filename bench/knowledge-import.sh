#!/usr/bin/env bash
# Import figures for every knowledge source of the corpus, through `pmed knowledge import` as an operator runs it:
# each source imported into Cosmos DB (default: the emulator `dev/stack.sh up` starts), then imported again, which must
# write 0. Prints per source: wall time, pmed's own figures line (documents, written, unchanged, peak working set) and
# the process's peak RSS (/usr/bin/time). Exits 1 when a re-import writes anything.
#
#   bench/knowledge-import.sh [CORPUS_KNOWLEDGE_FOLDER]      (default ../shared/corpus/knowledge)
#   COSMOS=http://127.0.0.1:8081/ PMED_COSMOS_KEY=... DATABASE=pmed-bench-import
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

corpus=${1:-../shared/corpus/knowledge}
cosmos=${COSMOS:-http://127.0.0.1:8081/}
export PMED_COSMOS_KEY=${PMED_COSMOS_KEY:-C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==}
database=${DATABASE:-pmed-bench-import-$(date +%s)}

dotnet build src/Cli -c Release -v q -nologo >/dev/null
pmed=(dotnet src/Cli/bin/Release/net10.0/pmed.dll)

# source name, path: PharmCAT's allele and phenotype files one import each (as the importer takes them), the rest whole.
imports=()
for file in "$corpus"/pharmcat/definition/alleles/*_translation.json "$corpus"/pharmcat/definition/alleles/exemptions.json; do
  imports+=("pharmcat-alleles $file")
done
for file in "$corpus"/pharmcat/phenotype/*.json; do imports+=("pharmcat-phenotype $file"); done
imports+=(
  "pharmcat-guidelines $corpus/pharmcat/guidelines"
  "cpic-drugs $corpus/cpic/cpic_drugs_rxnorm_2019bootstrap.tsv"
  "cpic-alerts $corpus/cpic/guideline-tables"
  "hgnc $corpus/hgnc/hgnc_complete_set_2019-01.txt.gz"
  "clinvar src/Core/Knowledge/Seed/clinvar_variant_summary.slice.txt"
)

failed=0
for pass in first again; do
  echo "== $pass import into $cosmos (database $database)"
  for entry in "${imports[@]}"; do
    read -r source path <<<"$entry"
    start=$(date +%s.%N)
    line=$(/usr/bin/time -f '%M' -o /tmp/pmed-import-rss "${pmed[@]}" knowledge import "$source" "$path" --cosmos "$cosmos" --database "$database" | tail -1) || true
    seconds=$(echo "$(date +%s.%N) - $start" | bc)
    printf '%-20s %-40s wall %5.1f s, peak RSS %4d MB | %s\n' "$source" "$(basename "$path")" "$seconds" "$(($(cat /tmp/pmed-import-rss) / 1024))" "$line"
    if [[ $pass == again && $line != *", 0 written,"* ]]; then failed=1; fi
  done
done
if ((failed)); then echo "a re-import wrote documents" >&2; exit 1; fi
echo "re-import wrote 0 for every source"
