using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir.Genomics;
using PrecisionMed.Core.Formats.Hl7v2;
using static PrecisionMed.Core.Tests.Formats.Hl7v2.Hl7v2TestMessages;

namespace PrecisionMed.Core.Tests.Formats.Hl7v2;

/// <summary>
/// 82120-7 (allelic phase) rows, an item of each variant group: variants that share an answer ("1st set of variants
/// in cis", ...) become one SequencePhaseRelationship derived from all of them; a variant alone in its set relates to nothing.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class Hl7v2PhaseRelationshipTests
{
    private const string LabId = "lab-a";
    private const string PhaseFile = "authored/phase_cis_from_sequence_phase_relation.hl7";
    private const string FirstCisSet = "LA26814-6^1st set of variants in cis relation to each other^LN";
    private const string SecondCisSet = "LA26815-3^2nd set of variants in cis relation to each other^LN";

    /// <summary>One variant group per (sub-ID, phase answer), each a distinct c.HGVS in the same gene.</summary>
    private static string Message(params (string SubId, string Phase)[] variants)
    {
        var segments = new List<string> { Header, "PID|1||MRN-1^^^HOSP^MR||TESTPATIENT^PI||19800101|F", "OBR|1|PL-1|FL-1|81247-9^Genetic panel^LN" };
        var obx = 0;
        foreach (var (subId, phase) in variants)
        {
            segments.Add($"OBX|{++obx}|CWE|48018-6^Gene studied^LN|{subId}|HGNC:2621^CYP2C19^HGNC||||||F");
            segments.Add($"OBX|{++obx}|CWE|48004-6^DNA change (c.HGVS)^LN|{subId}|NM_000769.4:c.{100 + obx}C>T^^HGVS||||||F");
            segments.Add($"OBX|{++obx}|CWE|82120-7^Allelic phase^LN|{subId}|{phase}||||||F");
        }

        return string.Join('\r', segments) + "\r";
    }

    [Fact]
    public void Map_AuthoredPhaseMessage_OneCisRelationshipBetweenBothVariants()
    {
        var (_, report, _) = Hl7v2ReportMapperCorpusTests.MapAll(PhaseFile).Single();

        Assert.Equal(["2a", "2b"], report.Variants.Select(v => v.Key));
        var phase = Assert.Single(report.PhaseRelationships);
        Assert.Equal("Cis", phase.Relationship);
        Assert.Equal(["2a", "2b"], phase.DerivedFromKeys);
        Assert.DoesNotContain(report.Skipped, p => p.Position.Segment?.StartsWith("OBX", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Build_AuthoredPhaseMessage_SequencePhaseRelationshipDerivedFromBothVariants()
    {
        using var transaction = await BuildAsync(Corpus(PhaseFile));

        var variants = ObservationsOf(transaction, "variant");
        Assert.Equal(2, variants.Count);
        var phase = Assert.Single(ObservationsOf(transaction, "sequence-phase-relationship"));
        Assert.Equal(GenomicsCodes.SequencePhaseRelationshipProfile, (string?)phase["meta"]!["profile"]![0]);
        Assert.Equal("82120-7", (string?)phase["code"]!["coding"]![0]!["code"]);
        var value = phase["valueCodeableConcept"]!["coding"]![0]!;
        Assert.Equal(GenomicsCodes.SequencePhaseRelationshipSystem, (string?)value["system"]);
        Assert.Equal("Cis", (string?)value["code"]);
        Assert.Equal(variants.Select(ReferenceTo).Order(StringComparer.Ordinal), DerivedFrom(phase).Order(StringComparer.Ordinal));

        // The report lists it among its results, like every finding.
        var report = Assert.Single(Resources(transaction), r => (string?)r["resourceType"] == "DiagnosticReport");
        Assert.Contains(ReferenceTo(phase), report["result"]!.AsArray().Select(r => (string?)r!["reference"]));
    }

    [Theory]
    [InlineData(FirstCisSet, "Cis")]
    [InlineData("^variants in trans", "Trans")]
    [InlineData("LA4489-6^Unknown^LN", "Unknown")]
    public async Task Build_TwoVariantsSharingAPhaseAnswer_RelationshipOfThatAnswer(string answer, string expected)
    {
        using var transaction = await BuildAsync(Bytes(Message(("2a", answer), ("2b", answer))));

        var phase = Assert.Single(ObservationsOf(transaction, "sequence-phase-relationship"));
        Assert.Equal(expected, (string?)phase["valueCodeableConcept"]!["coding"]![0]!["code"]);
        Assert.Equal(2, DerivedFrom(phase).Count);
    }

    [Fact]
    public void Map_TwoCisSets_OneRelationshipPerSetWithItsOwnVariants()
    {
        var report = Hl7v2ReportMapper.Map(Parse(Message(("2a", FirstCisSet), ("2b", SecondCisSet), ("2c", FirstCisSet), ("2d", SecondCisSet))), LabId);

        Assert.Equal(2, report.PhaseRelationships.Count);
        Assert.Contains(report.PhaseRelationships, p => p.Relationship == "Cis" && p.DerivedFromKeys.SequenceEqual(["2a", "2c"]));
        Assert.Contains(report.PhaseRelationships, p => p.Relationship == "Cis" && p.DerivedFromKeys.SequenceEqual(["2b", "2d"]));
    }

    [Fact]
    public void Map_VariantAloneInItsCisSet_NoRelationshipAndTheRowSkippedWithAReason()
    {
        var report = Hl7v2ReportMapper.Map(Parse(Message(("2a", FirstCisSet), ("2b", SecondCisSet))), LabId, out var mapped);

        Assert.Empty(report.PhaseRelationships);
        Assert.Equal(2, report.Variants.Count);
        var skipped = report.Skipped.Where(p => p.Reason.StartsWith("82120-7", StringComparison.Ordinal)).ToList();
        Assert.Equal(["OBX[3]", "OBX[6]"], skipped.Select(p => p.Position.Segment));
        Assert.All(skipped, p => Assert.Equal("OBX-5", p.Position.Field));
        Assert.Equal(4, mapped);
    }

    private static List<string?> DerivedFrom(JsonObject observation) =>
        [.. observation["derivedFrom"]!.AsArray().Select(r => (string?)r!["reference"])];
}
