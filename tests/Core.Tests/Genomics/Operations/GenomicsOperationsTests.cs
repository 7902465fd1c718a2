using System.Text.Json.Nodes;
using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Core.Genomics.Operations;
using static PrecisionMed.Core.Tests.Genomics.Operations.IgExampleScenario;

namespace PrecisionMed.Core.Tests.Genomics.Operations;

/// <summary>Evaluation beyond the IG's examples: the filters, an unknown subject, refused population inputs and how
/// many reads an answer costs.</summary>
[Trait("Tier", "Fast")]
public sealed class GenomicsOperationsTests
{
    private sealed class CountingResources : IFhirResourceSource
    {
        public List<string> Reads { get; } = [];

        public Task<JsonObject?> ReadAsync(string reference, CancellationToken cancellationToken)
        {
            Reads.Add(reference);
            var id = reference[(reference.IndexOf('/', StringComparison.Ordinal) + 1)..];
            return Task.FromResult<JsonObject?>(new JsonObject { ["resourceType"] = "Observation", ["id"] = id });
        }
    }

    private static async Task<(OperationResult Result, CountingGenomicIndex Index, CountingResources Resources)> RunAsync(
        string operation, IndexedReport[] reports, params KeyValuePair<string, string>[] query)
    {
        var index = new CountingGenomicIndex(new InMemoryGenomicIndex());
        foreach (var report in reports) await index.WriteAsync(report, TestContext.Current.CancellationToken);
        var resources = new CountingResources();
        var parse = OperationRequestParser.FromQuery(operation, query);
        Assert.Null(parse.Error);
        return (await new GenomicsOperations(index, resources).EvaluateAsync(parse.Request!, TestContext.Current.CancellationToken), index, resources);
    }

    private static readonly IndexedReport[] TwoTests =
    [
        Report(Subject, "t-germline", [Simple("germ", "NC_000007.14", 140753335, "A", "T", "LA6683-2")]) with { SpecimenIds = ["s-1"], TestDate = "2020-02-02" },
        Report(Subject, "t-somatic", [Simple("som", "NC_000007.14", 140753400, "C", "G", "LA6684-0")]) with { SpecimenIds = ["s-2"], TestDate = "2023-03-03" },
    ];

    private static List<string> Lines(OperationResult result) => IgExampleAnswers.Canonical(result.Parameters!);

    [Fact]
    public async Task Evaluate_IncludePhasing_VariantsAndTheRelationshipsBetweenThoseReturned()
    {
        var phased = Report(Subject, "t-phased", [
            Simple("v1", "NC_000010.11", 94781858, "G", "A"), Simple("v2", "NC_000010.11", 94842865, "G", "A"), Simple("v3", "NC_000010.11", 96000000, "C", "T")]) with
        {
            PhaseRelationships = [new IndexedPhaseRelationship("Observation/cis-1-2", ["Observation/v1", "Observation/v2"], "Cis"),
                new IndexedPhaseRelationship("Observation/trans-2-3", ["Observation/v2", "Observation/v3"], "Trans")],
        };

        var (both, _, _) = await RunAsync("find-subject-variants", [phased], Q("subject", Subject), Q("ranges", "NC_000010.11:94000000-95000000"), Q("includePhasing", "true"));
        var (without, _, _) = await RunAsync("find-subject-variants", [phased], Q("subject", Subject), Q("ranges", "NC_000010.11:94000000-95000000"), Q("includeVariants", "true"));

        // v3 is outside the range, so the Trans relationship (v2, v3) is not between returned variants.
        Assert.Equal(["variants/variant=Observation/v1", "variants/variant=Observation/v2", "variants/sequencePhaseRelationship=Observation/cis-1-2"],
            Lines(both).Where(l => l.Contains("=Observation/", StringComparison.Ordinal)));
        Assert.DoesNotContain(Lines(without), l => l.Contains("sequencePhaseRelationship", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Evaluate_HaplotypesOfASourceClass_SomaticCallLeftOutOfAGermlineQuestion()
    {
        var report = Report(Subject, "t-hla", haplotypes: [
            new IndexedHaplotype("Observation/germline-a", "genotype", [new IndexedGene("HGNC:4931", "HLA-A")], "HLA-A*01:01+HLA-A*02:01", [], "LA6683-2"),
            new IndexedHaplotype("Observation/tumour-a", "genotype", [new IndexedGene("HGNC:4931", "HLA-A")], "HLA-A*01:01", [], "LA6684-0"),
            new IndexedHaplotype("Observation/unstated-b", "genotype", [new IndexedGene("HGNC:4932", "HLA-B")], "HLA-B*08:01+HLA-B*35:01", [])]);

        var (germline, _, _) = await RunAsync("find-subject-haplotypes", [report], Q("subject", Subject), Q("genes", "HLA-A"), Q("genes", "HLA-B"), Q("genomicSourceClass", "germline"));
        var (population, _, _) = await RunAsync("find-population-specific-haplotypes", [report], Q("haplotypes", "HLA-A*01:01"), Q("genomicSourceClass", "somatic"));

        var returned = Lines(germline).Where(l => l.Contains("=Observation/", StringComparison.Ordinal)).ToList();
        Assert.Contains(returned, l => l.EndsWith("=Observation/germline-a", StringComparison.Ordinal));
        Assert.Contains(returned, l => l.EndsWith("=Observation/unstated-b", StringComparison.Ordinal)); // no class stated: kept
        Assert.DoesNotContain(returned, l => l.EndsWith("=Observation/tumour-a", StringComparison.Ordinal));
        Assert.Contains("haplotypes/numerator=1", Lines(population));
    }

    [Fact]
    public async Task Evaluate_UnknownSubject_404WithoutTheSubject()
    {
        var (result, _, _) = await RunAsync("find-subject-variants", TwoTests, Q("subject", "Patient/nobody"), Q("ranges", "NC_000007.14:1-2"));

        Assert.Equal((OperationErrorKind.UnknownSubject, 404), (result.Error!.Kind, result.Error.StatusCode));
        Assert.DoesNotContain("nobody", result.Error.ToOperationOutcome().ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_WithoutIncludeVariants_OneIndexReadNoFhirRead()
    {
        var (result, index, resources) = await RunAsync("find-subject-variants", TwoTests, Q("subject", Subject), Q("ranges", "NC_000007.14:140000000-141000000"));

        Assert.Equal(["variants", "variants/rangeItem=NC_000007.14:140000000-141000000", "variants/presence=true"], Lines(result));
        Assert.Single(index.SubjectReads);
        Assert.Empty(resources.Reads);
    }

    [Theory]
    [InlineData("genomicSourceClass", "germline", "germ")]
    [InlineData("genomicSourceClass", "somatic", "som")]
    [InlineData("testIdentifiers", "t-somatic", "som")]
    [InlineData("specimenIdentifiers", "s-1", "germ")]
    [InlineData("testDateRange", "ge2021", "som")]
    public async Task Evaluate_Filter_KeepsOnlyItsFindings(string filter, string value, string kept)
    {
        var (result, _, resources) = await RunAsync("find-subject-variants", TwoTests,
            Q("subject", Subject), Q("ranges", "NC_000007.14:140000000-141000000"), Q("includeVariants", "true"), Q(filter, value));

        Assert.Equal("variants/variant=Observation/" + kept, Lines(result)[^1]);
        Assert.Equal(["Observation/" + kept], resources.Reads);
    }

    [Fact]
    public async Task Evaluate_PopulationTranscriptVariant_RefusedNamingIt()
    {
        var (result, index, _) = await RunAsync("find-population-specific-variants", TwoTests, Q("variants", "NM_000038.6:c.55G>T"));

        Assert.Equal(("variants", "NM_000038.6:c.55G>T", 400), (result.Error!.Parameter, result.Error.Value, result.Error.StatusCode));
        Assert.Empty(index.PopulationReads);
    }

    [Fact]
    public async Task Evaluate_PopulationTreatmentWithoutSystem_Refused()
    {
        var (result, index, _) = await RunAsync("find-population-tx-implications", TwoTests, Q("treatments", "480167"));

        Assert.Equal(("treatments", "480167"), (result.Error!.Parameter, result.Error.Value));
        Assert.Empty(index.PopulationReads);
    }

    [Fact]
    public async Task Evaluate_PopulationConsequencesWithoutVariants_RequiredNotEveryPartition()
    {
        var (result, index, _) = await RunAsync("find-population-molecular-consequences", TwoTests, Q("featureConsequences", "SO:0001575"));

        Assert.Equal(OperationErrorKind.Required, result.Error!.Kind);
        Assert.Empty(index.PopulationReads);
    }

    [Fact]
    public async Task Evaluate_PopulationSourceClass_CountsOnlyThatClass()
    {
        var (result, _, _) = await RunAsync("find-population-structural-intersecting-variants", TwoTests, Q("ranges", "NC_000007.14:140000000-141000000"));
        Assert.Contains("variants/numerator=0", Lines(result));

        var (germline, _, _) = await RunAsync("find-population-specific-variants", TwoTests,
            Q("variants", "NC_000007.14:140753335:A:T"), Q("variants", "NC_000007.14:140753400:C:G"), Q("genomicSourceClass", "germline"), Q("includePatientList", "true"));
        Assert.Equal(["variants", "variants/variantItem=NC_000007.14:140753335:A:T", "variants/numerator=1", "variants/denominator=1", "variants/subject=" + Subject,
            "variants", "variants/variantItem=NC_000007.14:140753400:C:G", "variants/numerator=0", "variants/denominator=1"], Lines(germline));
    }

    [Fact]
    public async Task Evaluate_StudyMetadataRanges_NarrowRegionsOrUnknown()
    {
        IndexedReport[] reports = [Report(Subject, "t1") with { RegionsStudied = ["NC_000007.14:100-200", "NC_000007.14:500-600"] }];

        var (result, _, _) = await RunAsync("find-study-metadata", reports, Q("subject", Subject), Q("ranges", "NC_000007.14:150-160"));

        Assert.Contains("tests/regionStudied=['NC_000007.14:100-200']", Lines(result));
        Assert.Contains("tests/uncallableRegions=unknown", Lines(result));
    }

    [Fact]
    public async Task Evaluate_PopulationRangeOverTheBound_RefusedBeforeAnyRead()
    {
        var (result, index, _) = await RunAsync("find-population-structural-intersecting-variants", TwoTests, Q("ranges", "NC_000001.10:0-249250621"));

        Assert.Equal(("ranges", 400), (result.Error!.Parameter, result.Error.StatusCode));
        Assert.Empty(index.PopulationReads);
    }

    [Fact]
    public async Task Evaluate_PopulationSubsumingWholeChromosome_ReadsOnePartition()
    {
        var (result, index, _) = await RunAsync("find-population-structural-subsuming-variants", TwoTests, Q("ranges", "NC_000001.10:0-249250621"));

        Assert.Null(result.Error);
        Assert.Single(index.PopulationReads);
    }
}
