using System.Globalization;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Testing.Vcf;

namespace PrecisionMed.Core.Tests.Formats.Vcf;

/// <summary>
/// vcf2fhir's rules as the reference: for each of its test VCFs the reported Variants and their zygosity match the
/// rows TestData/vcf/vcf2fhir/expected_by_vcf2fhir_rules.py wrote from vcf2fhir's documented selection and zygosity
/// rules (docs/genomics-domain.md §3), row for row. Where we deliberately differ, the difference is listed in
/// <see cref="Deviations"/> by file and row, with the reason; nothing else is allowed to differ.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class Vcf2fhirRulesTests
{
    /// <summary>How one expected row becomes ours, for a row we deliberately report differently from vcf2fhir.</summary>
    private enum Deviation
    {
        /// <summary>
        /// vcf2fhir makes every row with INFO SVTYPE a structural variant, whatever its ALT. Our structural variants
        /// are the symbolic alleles; a row that spells its ALT out is written as the sequence change it is (exact
        /// start-end, g.HGVS), so it is reported, with the same alleles and zygosity, as a simple variant.
        /// </summary>
        SequenceAltReportedAsSimple,

        /// <summary>
        /// vcf2fhir's "GT containing '.'" exclusion covers only INV/INS/DEL among SVs, so a DUP/CNV whose GT is './.'
        /// becomes a Variant (homozygous by its x/x rule). A no-call asserts nothing about the sample: not reported
        /// (counted as no-call), as for simple variants and the other SV types.
        /// </summary>
        NoCallNotReported,
    }

    private static readonly Dictionary<(string Case, string Chrom, long Pos), Deviation> Deviations = new()
    {
        [("vcf_example1.vcf", "1", 18)] = Deviation.SequenceAltReportedAsSimple, // A>G with SVTYPE=INV
        [("vcf_structural_variants.vcf", "1", 15518745)] = Deviation.SequenceAltReportedAsSimple, // SVTYPE=INS, 19 bases inserted
        [("vcf_structural_variants.vcf", "1", 2827694)] = Deviation.SequenceAltReportedAsSimple, // SVTYPE=DEL, 14 bases deleted
        [("vcf_structural_variants.vcf", "1", 67)] = Deviation.SequenceAltReportedAsSimple, // SVTYPE=INS
        [("vcf_structural_variants.vcf", "1", 70302428)] = Deviation.SequenceAltReportedAsSimple, // SVTYPE=DEL
        [("vcf_structural_variants.vcf", "1", 957967)] = Deviation.SequenceAltReportedAsSimple, // SVTYPE=INS
        [("vcf_structural_variants.vcf", "2", 92313236)] = Deviation.NoCallNotReported, // <DUP> ./.
        [("vcf_structural_variants.vcf", "1", 128)] = Deviation.NoCallNotReported, // <DUP:TANDEM> ./.
        [("vcf_structural_variants.vcf", "1", 232864349)] = Deviation.NoCallNotReported, // <CNV> ./.
        [("vcf_structural_variants.vcf", "22", 42523949)] = Deviation.NoCallNotReported, // <CN0>,<CN2>,<CN3>,<CN4> ./.
    };

    private static readonly Dictionary<string, string> ZygosityNames = new(StringComparer.Ordinal)
    {
        ["LA6705-3"] = "homozygous",
        ["LA6706-1"] = "heterozygous",
        ["LA6707-9"] = "hemizygous",
        ["LA6704-6"] = "homoplasmic",
        ["LA6703-8"] = "heteroplasmic",
    };

    /// <summary>The cases expected_by_vcf2fhir_rules.py writes: the VCF, the conversion region (BED) and the build vcf2fhir's tests use.</summary>
    public static TheoryData<string, string?, string> Cases => new()
    {
        { "vcf_example1.vcf", null, "GRCh37" },
        { "vcf_example2.vcf", null, "GRCh37" },
        { "vcf_example3.vcf", null, "GRCh38" },
        { "vcf_example3.vcf", "RegionsToConvert_example3.bed", "GRCh38" },
        { "vcf_example4.vcf", null, "GRCh38" },
        { "vcf_example4.vcf", "RegionsToConvert_example4.bed", "GRCh38" },
        { "vcftests.vcf", null, "GRCh38" },
        { "vcf_structural_variants.vcf", null, "GRCh37" },
        { "NB6TK328_filtered.vcf", "NB6TK328_conversion_region.bed", "GRCh38" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Map_Vcf2fhirTestVcf_ReportsTheVariantsAndZygosityItsRulesSelect(string vcf, string? bed, string build)
    {
        var expected = Expected(vcf, bed);
        var options = new VcfOptions { GenomeBuild = build, RegionsBed = bed is null ? null : VcfTestFiles.PathOf("vcf2fhir/" + bed) };

        var report = await MapFileAsync("vcf2fhir/" + vcf, options);

        Assert.Equal(expected, Ours(report));
    }

    [Fact]
    public void Deviations_EachNamesAnExpectedRow()
    {
        // A deviation that no longer matches a row the rules select is stale: it would hide nothing, but mislead.
        var rows = Cases.Select(c => c.Data)
            .SelectMany(c => ExpectedByRules(c.Item1, c.Item2).Select(r => (c.Item1, r.Chrom, r.Pos)))
            .ToHashSet();
        Assert.All(Deviations.Keys, key => Assert.Contains(key, rows));
    }

    /// <summary>The rows the rules select, with our deliberate deviations applied.</summary>
    private static List<Row> Expected(string vcf, string? bed)
    {
        var result = new List<Row>();
        foreach (var row in ExpectedByRules(vcf, bed))
        {
            if (!Deviations.TryGetValue((vcf, row.Chrom, row.Pos), out var deviation))
            {
                result.Add(row);
                continue;
            }

            switch (deviation)
            {
                case Deviation.SequenceAltReportedAsSimple:
                    Assert.True(row.Kind.StartsWith("SV:", StringComparison.Ordinal) && !row.Alt.StartsWith('<'), $"{vcf} {row}: not a sequence ALT with SVTYPE");
                    result.Add(row with { Kind = "simple" });
                    break;
                case Deviation.NoCallNotReported:
                    break;
            }
        }

        return result;
    }

    private static List<Row> ExpectedByRules(string vcf, string? bed)
    {
        var name = bed is null ? $"{vcf[..^4]}.expected.tsv" : $"{vcf[..^4]}.{bed[..^4]}.expected.tsv";
        var lines = File.ReadAllLines(VcfTestFiles.PathOf("vcf2fhir/" + name));
        Assert.Equal("chrom\tpos\tref\talt\tzygosity\tkind", lines[0]);
        return [.. lines.Skip(1).Select(line =>
        {
            var f = line.Split('\t');
            var kind = f[5];
            // Our key names a structural variant by its type (<DUP:TANDEM>, <INS:ME:L1>, <CN0> with SVTYPE=DEL are
            // <DUP>, <INS>, <DEL>): the allele compared for a symbolic ALT is the SV type vcf2fhir selected it by.
            var alt = kind.StartsWith("SV:", StringComparison.Ordinal) && f[3].StartsWith('<') ? $"<{kind[3..]}>" : f[3];
            return new Row(f[0], long.Parse(f[1], CultureInfo.InvariantCulture), f[2], alt, f[4], kind);
        })];
    }

    /// <summary>Our Variants as rows: chromosome named as vcf2fhir names it, alleles from the key, zygosity from 53034-5.</summary>
    private static List<Row> Ours(LabReport report) =>
        [.. report.Variants.Select(v =>
        {
            var parts = v.Key.Split(':'); // build:chrom:pos:ref:alt (simple) or build:chrom:pos:ref:<TYPE>:end (structural)
            var chrom = parts[1] == "MT" ? "M" : parts[1];
            var state = v.Components.FirstOrDefault(c => c.Code.Code == "53034-5")?.Value is CodedValue { Codings: [{ Code: { } code }, ..] }
                ? ZygosityNames[code]
                : "";
            var kind = v.Structural ? "SV:" + parts[4].Trim('<', '>') : "simple";
            return new Row(chrom, long.Parse(parts[2], CultureInfo.InvariantCulture), parts[3], parts[4], state, kind);
        })];

    private static async Task<LabReport> MapFileAsync(string file, VcfOptions options)
    {
        await using var stream = VcfTestFiles.Open(VcfTestFiles.PathOf(file));
        var reader = await VcfReader.OpenAsync(stream, TestContext.Current.CancellationToken);
        var name = Path.GetFileName(file);
        var provenance = new ReportProvenance("lab", "incoming/lab/" + name, "hash", name, 0, 1, DateTimeOffset.UnixEpoch, "test")
        {
            Manifest = TestVcfManifests.ForColumns(name, reader.Header.Samples),
        };
        return await new VcfReportMapper(options, new NoVariantKnowledge()).MapAsync(reader, provenance, TestContext.Current.CancellationToken);
    }

    private sealed record Row(string Chrom, long Pos, string Ref, string Alt, string Zygosity, string Kind)
    {
        public override string ToString() => $"{Chrom}:{Pos} {Ref}>{Alt} {Zygosity} {Kind}";
    }
}
