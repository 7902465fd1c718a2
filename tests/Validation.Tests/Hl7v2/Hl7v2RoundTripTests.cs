using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace PrecisionMed.Validation.Tests.Hl7v2;

/// <summary>
/// Round trip of meaning at the FHIR level: an IG example bundle encoded by hand as HL7 v2 (TestData/hl7v2/authored),
/// run through the real pipeline, gives FHIR that carries the same genes, HGVS, zygosity, source class, significance,
/// genotype/haplotype values, medication implications and phase as the IG example itself. Both sides are read
/// with the same <see cref="GenomicMeaning"/> extractor.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class Hl7v2RoundTripTests
{
    /// <summary>Authored message → the IG example bundle it encodes (authored/README.md).</summary>
    public static TheoryData<string, string> Encodings => new()
    {
        { "pgx_cyp2c9_from_pgxexample", "Bundle-bundle-pgxexample.json" },
        { "germline_from_cgexample", "Bundle-bundle-cgexample.json" },
        { "somatic_from_oncologyexamples", "Bundle-bundle-oncology-report-example.json" },
        { "somatic_braf_from_oncology_diagnostic", "Bundle-bundle-oncology-diagnostic.json" },
        { "compound_het_from_compound_heterozygote", "Bundle-bundle-compound-heterozygote.json" },
        { "phase_cis_from_sequence_phase_relation", "Bundle-bundle-sequence-phase-relation-CYP2C19.json" },
    };

    /// <summary>
    /// Gaps known to be the FHIR builder's (src/Core/Fhir/Genomics), not the mapper's: the assertion message names
    /// them so a failure points at the right owner. The tests are not weakened for them.
    /// </summary>
    private static readonly Dictionary<string, string> KnownBuilderGaps = new(StringComparer.Ordinal)
    {
        ["germline_from_cgexample genes VKORC1"] =
            "KNOWN BUILDER GAP (reported, not fixed here): GenotypeFinding has a single Gene, so the Genotype's gene-studied "
            + "component carries CYP2C9 only; the IG Genotype carries CYP2C9 and VKORC1 (48018-6 repeats). The mapper keeps "
            + "VKORC1 in LabReport.GenesStudied, which the Genotype Observation does not show.",
    };

    [Fact]
    public void Encodings_CoverEveryExpectedFile()
    {
        var expected = Directory.EnumerateFiles(Path.Combine(Hl7v2Pipeline.Root, "authored"), "*.expected.json")
            .Select(f => Path.GetFileName(f)[..^".expected.json".Length]).Order(StringComparer.Ordinal);

        Assert.Equal(expected, Encodings.Select(row => (string)row.Data.Item1).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task BuildUnit_AuthoredEncoding_FhirCarriesEveryExpectedValue(string name, string igExample)
    {
        var (output, example, expected) = await LoadAsync(name, igExample);

        var missing = new List<string>();
        foreach (var (kind, term) in Expected(expected))
        {
            if (!example.Carries(kind, term)) missing.Add($"IG example {igExample} lacks {kind} '{term}': the expected file is wrong");
            if (!output.Carries(kind, term)) missing.Add($"pipeline FHIR for {name} lacks {kind} '{term}'{Gap(name, kind, term)}");
        }

        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing));
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task BuildUnit_AuthoredEncoding_EveryIgExampleValueOfTheExpectedKindsIsCarried(string name, string igExample)
    {
        var (output, example, expected) = await LoadAsync(name, igExample);
        var kinds = expected.RootElement.EnumerateObject().Select(p => p.Name).Append("phase").ToHashSet(StringComparer.Ordinal);

        // Every value of the IG example (of the kinds the encoding claims) is in the output, matched by any of its
        // codes, displays or text: "same meaning", not only the values someone thought to list.
        var missing = kinds
            .SelectMany(kind => example[kind].Where(value => !value.Any(term => output.Carries(kind, term)))
                .Select(value => $"{kind}: IG value {{{string.Join(", ", value.Order(StringComparer.Ordinal))}}} is not in the pipeline FHIR"
                    + string.Concat(value.Select(term => Gap(name, kind, term)))))
            .ToList();

        Assert.True(missing.Count == 0, $"{name} vs {igExample}:{Environment.NewLine}{string.Join(Environment.NewLine, missing)}");
    }

    private static async Task<(GenomicMeaning Output, GenomicMeaning Example, JsonDocument Expected)> LoadAsync(string name, string igExample)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var units = await Hl7v2Pipeline.RunAsync($"authored/{name}.hl7", cancellationToken);
        var output = GenomicMeaning.Of(Assert.Single(units).Bundles);

        var examplePath = Path.Combine(AppContext.BaseDirectory, "TestData", "fhir", "ig-examples", igExample);
        var exampleBundle = JsonNode.Parse(await File.ReadAllTextAsync(examplePath, cancellationToken))!.AsObject();
        var example = GenomicMeaning.Of([exampleBundle]);

        var expected = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(Hl7v2Pipeline.Root, "authored", name + ".expected.json"), cancellationToken));
        return (output, example, expected);
    }

    private static string Gap(string name, string kind, string term) =>
        KnownBuilderGaps.TryGetValue($"{name} {kind} {term}", out var gap) ? " — " + gap : string.Empty;

    /// <summary>(kind, term) for every value the expected file lists; medications as "code|implication".</summary>
    private static IEnumerable<(string Kind, string Term)> Expected(JsonDocument expected)
    {
        foreach (var property in expected.RootElement.EnumerateObject())
        {
            Assert.Contains(property.Name, GenomicMeaning.Kinds);
            foreach (var item in property.Value.EnumerateArray())
            {
                yield return item.ValueKind == JsonValueKind.Object
                    ? (property.Name, $"{item.GetProperty("code").GetString()}|{item.GetProperty("implication").GetString()}")
                    : (property.Name, item.GetString()!);
            }
        }
    }
}
