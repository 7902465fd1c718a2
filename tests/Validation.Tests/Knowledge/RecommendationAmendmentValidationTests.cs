using System.Text.Json.Nodes;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Diff;
using PrecisionMed.Core.Pipeline.Reinterpretation;
using PrecisionMed.Testing.Validation;
using PrecisionMed.Validation.Tests.Hl7v2;
using Xunit;

namespace PrecisionMed.Validation.Tests.Knowledge;

/// <summary>
/// What a recommendation's reinterpretation writes validates against FHIR R4 and the Genomics Reporting IG 3.0.0: the
/// store's clopidogrel TherapeuticImplication of an authored HL7 v2 report (CYP2C19 *2/*2, CPIC, population CVI ACS PCI)
/// and its MedicationRecommendation Task, for a revised recommendation, one that no longer changes prescribing (the Task
/// cancelled) and a withdrawn one (the implication entered-in-error), with the Provenance of each.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class RecommendationAmendmentValidationTests
{
    private const string Head = "clopidogrel (CPIC, population CVI ACS PCI): ";
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(ChangeKind.Changed, PrescribingChange.AlternateDrug, "amended", "requested")]
    [InlineData(ChangeKind.Changed, PrescribingChange.None, "amended", "cancelled")]
    [InlineData(ChangeKind.Removed, null, "entered-in-error", "cancelled")]
    public async Task Amend_StoreTherapeuticImplicationAndTask_AllValidate(ChangeKind kind, PrescribingChange? flags, string status, string taskStatus)
    {
        var units = await Hl7v2Pipeline.RunAsync("authored/batch_three_messages.hl7", TestContext.Current.CancellationToken);
        var resources = units[2].Bundles.SelectMany(Hl7v2Pipeline.Resources).ToList();
        var implication = resources.Single(r => r.ToJsonString().Contains(Head, StringComparison.Ordinal) && r.ToJsonString().Contains("CYP2C19 *2/*2", StringComparison.Ordinal));
        var task = resources.Single(r => (string?)r["resourceType"] == "Task" && ((string?)r["reasonReference"]?["reference"])?.EndsWith((string)implication["id"]!, StringComparison.Ordinal) == true);
        var conclusion = implication["component"]!.AsArray().Select(c => (string?)c!["valueString"]).Single(v => v is not null)!;
        var text = conclusion[(conclusion.IndexOf(Head, StringComparison.Ordinal) + Head.Length)..].Split(" Implications:")[0];
        var change = new KnowledgeChange(
            KnowledgeChange.Recommendation, "CPIC|PA166104948|clopidogrel|CVI ACS PCI|CYP2C19:Poor Metabolizer", kind,
            kind == ChangeKind.Removed ? ClinicalImpact.Warning : ClinicalImpact.Major,
            text, "Strong", "47", kind == ChangeKind.Removed ? null : "Avoid clopidogrel. Use prasugrel or ticagrelor at standard dose if no contraindication.",
            kind == ChangeKind.Removed ? null : "Moderate", "48", ["CYP2C19"], [], [], "clopidogrel", ["CYP2C19:Poor Metabolizer"], "PA449053",
            PrescribingChange.AlternateDrug, flags);
        var diff = new KnowledgeDiff("kd-0123456789ab", "pharmcat-guidelines", "revised", "kv-000000000001", "kv-000000000002", "2026-12-07T01:00:00Z", false, 0, 1, 0,
            ImpactCounts.Of([change]), [change]);
        implication["meta"]!["versionId"] = "1";
        task["meta"]!["versionId"] = "1";

        var (observation, provenance) = RecommendationAmendment.AmendImplication(implication, change, diff, Now, "9.9.9-test")!.Value;
        var (revised, taskProvenance) = RecommendationAmendment.AmendTask(task, change, diff, "kv-000000000001", Now, "9.9.9-test")!.Value;

        Assert.Equal((status, taskStatus), ((string?)observation["status"], (string?)revised["status"]));
        foreach (var resource in new[] { observation, provenance, revised, taskProvenance }) Assert.Empty(Errors(resource));
        Assert.Null(RecommendationAmendment.AmendImplication(observation, change, diff, Now, "9.9.9-test"));
        Assert.Null(RecommendationAmendment.AmendTask(revised, change, diff, "kv-000000000001", Now, "9.9.9-test"));
    }

    /// <summary>
    /// A recommendation that did not change prescribing (so enrichment made no Task) revised to one that does: a new
    /// MedicationRecommendation Task for the patient, reasoned by the implication, with a Provenance of its creation;
    /// a withdrawal or a revision that still changes nothing makes none.
    /// </summary>
    [Fact]
    public async Task NewTask_RecommendationNowChangingPrescribing_ValidatesAndNamesTheImplication()
    {
        var units = await Hl7v2Pipeline.RunAsync("authored/batch_three_messages.hl7", TestContext.Current.CancellationToken);
        var resources = units[2].Bundles.SelectMany(Hl7v2Pipeline.Resources).ToList();
        var implication = resources.Single(r => r.ToJsonString().Contains(Head, StringComparison.Ordinal) && r.ToJsonString().Contains("CYP2C19 *2/*2", StringComparison.Ordinal));
        KnowledgeChange Change(ChangeKind kind, PrescribingChange? flags) => new(
            KnowledgeChange.Recommendation, "CPIC|PA166104948|clopidogrel|CVI ACS PCI|CYP2C19:Poor Metabolizer", kind, ClinicalImpact.Major,
            "Use label-recommended dosage.", "Strong", "47", kind == ChangeKind.Removed ? null : "Avoid clopidogrel. Use prasugrel or ticagrelor at standard dose.",
            "Moderate", "48", ["CYP2C19"], [], [], "clopidogrel", ["CYP2C19:Poor Metabolizer"], "PA449053", PrescribingChange.None, flags);
        var change = Change(ChangeKind.Changed, PrescribingChange.AlternateDrug);
        var diff = new KnowledgeDiff("kd-0123456789ab", "pharmcat-guidelines", "revised", "kv-000000000001", "kv-000000000002", "2026-12-07T01:00:00Z", false, 0, 1, 0,
            ImpactCounts.Of([change]), [change]);

        var (task, provenance) = RecommendationAmendment.NewTask(implication, change, diff, "kv-000000000001", Now, "9.9.9-test")!.Value;

        Assert.Equal(RecommendationAmendment.CreatedTaskId($"Observation/{(string)implication["id"]!}"), (string?)task["id"]);
        Assert.Equal(("requested", "proposal"), ((string?)task["status"], (string?)task["intent"]));
        Assert.Equal($"Observation/{(string)implication["id"]!}", (string?)task["reasonReference"]!["reference"]);
        Assert.Equal((string?)implication["subject"]!["reference"], (string?)task["for"]!["reference"]);
        Assert.Equal("CREATE", (string?)provenance["activity"]!["coding"]![0]!["code"]);
        foreach (var resource in new[] { task, provenance }) Assert.Empty(Errors(resource));
        Assert.Null(RecommendationAmendment.NewTask(implication, Change(ChangeKind.Removed, null), diff, "kv-000000000001", Now, "9.9.9-test"));
        Assert.Null(RecommendationAmendment.NewTask(implication, Change(ChangeKind.Changed, PrescribingChange.None), diff, "kv-000000000001", Now, "9.9.9-test"));
    }

    private static List<string> Errors(JsonObject resource) => [.. FhirProfileValidator.Shared.Validate(resource.ToJsonString()).Errors];
}
