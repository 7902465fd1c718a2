#!/usr/bin/env python3
"""Expected Variants of vcf2fhir's test VCFs, written from vcf2fhir's documented selection rules.

The expectations are derived from the rules alone, independently of PrecisionMed's VCF mapper:
docs/genomics-domain.md section 3 (vcf2fhir v0.1.1 record selection and zygosity) and vcf2fhir's
docs/Manual.md ("Exclude VCF rows", "Create Variant observations", "Sex chromosome conversion",
"Mitochondrial DNA conversion"). Where section 3 is silent or loose the choice is stated beside the
rule below. Tests/Core.Tests/Formats/Vcf/Vcf2fhirRulesTests.cs compares our mapper's Variants with
the TSVs written here, row for row, and lists each deliberate deviation of ours.

Run from anywhere (python3, standard library only); it rewrites the *.expected.tsv files beside it:

    python3 tests/TestData/vcf/vcf2fhir/expected_by_vcf2fhir_rules.py

Each TSV has a header line and one row per expected Variant, in file order:
    chrom  pos  ref  alt  zygosity  kind
chrom   vcf2fhir's canonical name: upper case, 'chr' removed, MT written M.
pos/ref/alt   VCF POS and REF as written, the ALT allele the GT picks (one row per picked allele).
zygosity      homozygous | heterozygous | hemizygous | homoplasmic | heteroplasmic | '' (none stated).
kind          simple, or SV:<INFO.SVTYPE> (vcf2fhir treats every row with INFO.SVTYPE as an SV).
"""

import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))

# (VCF, conversion-region BED or None). Genomic source class is germline throughout (vcf2fhir's
# expected outputs for these files carry allelic states, which it writes for germline only); the
# genome build does not affect selection or zygosity.
CASES = [
    ("vcf_example1.vcf", None),
    ("vcf_example2.vcf", None),
    ("vcf_example3.vcf", None),
    ("vcf_example3.vcf", "RegionsToConvert_example3.bed"),
    ("vcf_example4.vcf", None),
    ("vcf_example4.vcf", "RegionsToConvert_example4.bed"),
    ("vcftests.vcf", None),
    ("vcf_structural_variants.vcf", None),
    ("NB6TK328_filtered.vcf", "NB6TK328_conversion_region.bed"),
]

SV_TYPES = {"DEL", "DUP", "INV", "INS", "CNV"}
RATIO_AD_DP = 0.99  # vcf2fhir's default ratio_ad_dp
GERMLINE = True


def canonical_chrom(chrom):
    # Section 3 says names must match the BED as written, but vcf2fhir 0.1.1 compares records and
    # regions after upper-casing, dropping 'chr' and writing MT as M (its expected_example3.json
    # reports the 'chrX' and 'x' rows inside the 'X' regions): that is the rule applied here.
    chrom = chrom.upper().replace("CHR", "")
    return "M" if chrom == "MT" else chrom


def recognised_chrom(chrom):
    # Only 1-22, X, Y, M have a RefSeq chromosome in vcf2fhir's table ("no alt-contig support").
    return re.fullmatch(r"[1-9]|1[0-9]|2[0-2]|[XYM]", chrom) is not None


def is_symbolic(allele):
    return len(allele) > 2 and allele.startswith("<") and allele.endswith(">")


def is_plain(allele):
    # A "simple character string": bases, not symbolic, not a breakend, not the spanning deletion '*'.
    return re.fullmatch(r"[A-Za-z]+", allele) is not None


def read_bed(name):
    regions = []
    with open(os.path.join(HERE, name), newline="") as bed:
        for line in bed:
            line = line.rstrip("\r\n")
            if not line or line.startswith(("#", "track", "browser")):
                continue
            chrom, start, end = line.split("\t")[:3]
            regions.append((canonical_chrom(chrom), int(start), int(end)))
    return regions


def in_region(regions, chrom, pos, end):
    # The record covers POS..END (1-based inclusive): [POS-1, END) against the BED's half-open ranges.
    return any(c == chrom and pos - 1 < e and s < end for c, s, e in regions)


def info_value(info, key):
    for item in info.split(";"):
        name, _, value = item.partition("=")
        if name == key:
            return value
    return None


def zygosity(chrom, gt_alleles, allele, sample):
    if chrom == "M":
        # "If AD/DP ratio > 99% then homoplasmic; else heteroplasmic. If AD and DP not present,
        # don't output allelic state": AD of the ALT allele the state is for.
        ad, dp = sample.get("AD"), sample.get("DP")
        try:
            ratio = float(ad.split(",")[allele]) / float(dp)
        except (AttributeError, IndexError, ValueError, ZeroDivisionError):
            return ""
        return "homoplasmic" if ratio > RATIO_AD_DP else "heteroplasmic"
    if len(gt_alleles) == 1:
        return "hemizygous"  # haploid calls (X/Y in males) are hemizygous
    return "homozygous" if len(set(gt_alleles)) == 1 else "heterozygous"


def expected_rows(vcf, bed):
    regions = read_bed(bed) if bed else None
    rows = []
    with open(os.path.join(HERE, vcf), newline="") as lines:
        for line in lines:
            line = line.rstrip("\r\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) < 10:
                continue  # missing fixed columns / FORMAT / sample
            chrom, pos, ref, alt, filt, info = canonical_chrom(cols[0]), int(cols[1]), cols[3], cols[4], cols[6], cols[7]
            if not recognised_chrom(chrom):
                continue
            keys = cols[8].split(":")
            values = cols[9].split(":")
            sample = dict(zip(keys, values))  # first sample only
            if "GT" not in sample:
                continue  # FORMAT.GT missing
            gt = sample["GT"]
            svtype = info_value(info, "SVTYPE")
            alts = [] if alt == "." else alt.split(",")
            if svtype is not None:
                # SV: INFO.SVTYPE one of the five; ALT plain, symbolic or '.'; germline GT with '.' only for INV/INS/DEL.
                if svtype not in SV_TYPES:
                    continue
                if not all(is_plain(a) or is_symbolic(a) for a in alts):
                    continue
                if GERMLINE and svtype in {"INV", "INS", "DEL"} and "." in gt:
                    continue
            else:
                # Simple: ALT plain, a comma list of plain, or '.'; a germline GT must not contain '.'.
                if not all(is_plain(a) for a in alts):
                    continue
                if GERMLINE and "." in gt:
                    continue
            if filt not in ("PASS", "."):
                continue
            if gt in ("0/0", "0|0", "0"):
                continue
            if not ref.isalpha():
                continue  # REF not a simple character string ('.', 'A,T', empty)
            gt_alleles = re.split(r"[/|]", gt)
            if chrom == "M" and (svtype is not None or len(gt_alleles) != 1):
                continue  # chrM: SVs never, simple variants only as haploid calls
            end = pos + len(ref) - 1
            if svtype is not None and info_value(info, "END") is not None:
                end = max(end, int(info_value(info, "END")))
            if regions is not None and not in_region(regions, chrom, pos, end):
                continue

            kind = "simple" if svtype is None else "SV:" + svtype
            # Multi-allelic: GT n/m picks ALT n (and m), one Variant per distinct picked ALT allele.
            picked = []
            for a in gt_alleles:
                if a not in (".", "0") and int(a) not in picked:
                    picked.append(int(a))
            if not picked:
                # Only reachable for a DUP/CNV whose GT is a no-call ('./.'), which the rules let through:
                # one Variant with the record's ALT, its state by the x/x rule ('.' and '.' are alike).
                rows.append((chrom, pos, ref, alt, zygosity(chrom, gt_alleles, 0, sample), kind))
                continue
            for allele in picked:
                rows.append((chrom, pos, ref, alts[allele - 1], zygosity(chrom, gt_alleles, allele, sample), kind))
    return rows


def tsv_name(vcf, bed):
    stem = vcf[: -len(".vcf")]
    return f"{stem}.{bed[: -len('.bed')]}.expected.tsv" if bed else f"{stem}.expected.tsv"


def main():
    for vcf, bed in CASES:
        rows = expected_rows(vcf, bed)
        name = tsv_name(vcf, bed)
        with open(os.path.join(HERE, name), "w", newline="\n") as out:
            out.write("chrom\tpos\tref\talt\tzygosity\tkind\n")
            for row in rows:
                out.write("\t".join(str(v) for v in row) + "\n")
        print(f"{name}: {len(rows)} variants")


if __name__ == "__main__":
    main()
