using System.Text.Json.Nodes;
using PrecisionMed.Core.Knowledge.Diff;
using PrecisionMed.Core.Pipeline.Reinterpretation;
using PrecisionMed.Testing.Validation;
using PrecisionMed.Validation.Tests.Hl7v2;
using Xunit;

namespace PrecisionMed.Validation.Tests.Knowledge;

/// <summary>
/// What a reinterpretation writes validates against FHIR R4 and the Genomics Reporting IG 3.0.0: the store's BRCA1
/// implication of an authored HL7 v2 report (ClinVar Pathogenic, expert panel) amended to Benign, withdrawn, and the
/// Provenance of each.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class ReinterpretationValidationTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(ChangeKind.Changed, "Benign", "amended")]
    [InlineData(ChangeKind.Changed, "Likely pathogenic", "amended")]
    [InlineData(ChangeKind.Removed, null, "entered-in-error")]
    public async Task Amend_StoreImplication_ObservationAndProvenanceValidate(ChangeKind kind, string? newValue, string status)
    {
        var units = await Hl7v2Pipeline.RunAsync("authored/batch_three_messages.hl7", TestContext.Current.CancellationToken);
        var implication = units[0].Bundles.SelectMany(Hl7v2Pipeline.Resources)
            .Single(r => ((string?)r["meta"]?["profile"]?[0])?.EndsWith("diagnostic-implication", StringComparison.Ordinal) == true
                && r.ToJsonString().Contains("PrecisionMed knowledge store version", StringComparison.Ordinal));
        Assert.Empty(Errors(implication));
        var conclusion = implication["component"]!.AsArray().Select(c => (string?)c!["valueString"]).First(v => v is not null)!;
        var variation = System.Text.RegularExpressions.Regex.Match(conclusion, @"variation (\d+)").Groups[1].Value;
        var change = new KnowledgeChange(
            KnowledgeChange.Classification, variation, kind, kind == ChangeKind.Removed ? ClinicalImpact.Warning : ClinicalImpact.Major,
            "Pathogenic", "reviewed by expert panel", "2019-08-05", newValue, newValue is null ? null : "criteria provided, single submitter", "2019-09-15",
            ["BRCA1"], [], []);
        var diff = new KnowledgeDiff("kd-0123456789ab", "clinvar", "clinvar.vcf.gz", "kv-000000000001", "kv-000000000002", "2026-12-07T01:00:00Z", false, 0, 1, 0,
            ImpactCounts.Of([change]), [change]);
        implication["meta"]!["versionId"] = "1";

        var (observation, provenance) = ImplicationAmendment.Amend(implication, change, diff, Now, "9.9.9-test")!.Value;

        Assert.Equal(status, (string?)observation["status"]);
        Assert.Empty(Errors(observation));
        Assert.Empty(Errors(provenance));
        Assert.True(ImplicationAmendment.IsDone(observation, diff.Id));
        Assert.Null(ImplicationAmendment.Amend(observation, change, diff, Now, "9.9.9-test"));
    }

    private static List<string> Errors(JsonObject resource) => [.. FhirProfileValidator.Shared.Validate(resource.ToJsonString()).Errors];
}
