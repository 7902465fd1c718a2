using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir.Genomics;
using PrecisionMed.Testing.Validation;
using Xunit;

namespace PrecisionMed.Validation.Tests.Genomics;

/// <summary>Every resource the GenomicReportBuilder writes, validated offline against R4 and the IG 3.0.0 profiles.</summary>
[Trait("Tier", "Fast")]
public sealed class GenomicReportBuilderValidationTests
{
    public static TheoryData<string> Reports => SampleLabReports.Names;

    [Theory]
    [MemberData(nameof(Reports))]
    public void Build_SampleReport_EveryResourceValidatesWithoutErrors(string name)
    {
        var transaction = GenomicReportBuilder.Build(SampleLabReports.All[name], SampleLabReports.Provenance);

        var resources = transaction.Bundles
            .SelectMany(b => b["entry"]!.AsArray())
            .Select(e => e!["resource"]!.AsObject())
            .ToList();
        var errors = resources
            .SelectMany(r => FhirProfileValidator.Shared.Validate(r.ToJsonString()).Errors.Select(e => $"{Key(r)}: {e}"))
            .ToList();

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        Assert.Contains(resources, r => (string?)r["resourceType"] == "DiagnosticReport");
    }

    [Theory]
    [MemberData(nameof(Reports))]
    public void Build_SampleReport_EveryReferenceResolvesInsideTheBundle(string name)
    {
        var transaction = GenomicReportBuilder.Build(SampleLabReports.All[name], SampleLabReports.Provenance);

        var bundle = Assert.Single(transaction.Bundles);
        var report = BundleValidation.CheckReferences(bundle.ToJsonString());

        Assert.Empty(report.BundleErrors);
        Assert.Empty(report.UnresolvedReferences);
        Assert.Empty(report.ExternalReferences);
    }

    [Theory]
    [MemberData(nameof(Reports))]
    public void Build_SampleReport_GenomicObservationsDeclareTheirProfile(string name)
    {
        var transaction = GenomicReportBuilder.Build(SampleLabReports.All[name], SampleLabReports.Provenance);

        var observations = transaction.Bundles
            .SelectMany(b => b["entry"]!.AsArray())
            .Select(e => e!["resource"]!.AsObject())
            .Where(r => (string?)r["resourceType"] == "Observation")
            .ToList();

        foreach (var observation in observations)
        {
            var genetic = observation["category"]!.AsArray().Any(c => c!.ToJsonString().Contains("\"GE\"", StringComparison.Ordinal));
            var profiled = observation["meta"]?["profile"] is JsonArray { Count: 1 } profile
                && ((string?)profile[0])!.StartsWith(GenomicsCodes.ProfileBase, StringComparison.Ordinal);
            Assert.Equal(genetic, profiled);
        }
    }

    [Fact]
    public void Build_PharmacogenomicReport_TaskAndRecommendedActionValidate()
    {
        var transaction = GenomicReportBuilder.Build(SampleLabReports.All["pgx"], SampleLabReports.Provenance);

        var bundle = Assert.Single(transaction.Bundles).ToJsonString();
        var report = BundleValidation.Validate(bundle);

        Assert.True(report.IsValid, report.ToString());
        Assert.Contains(report.Entries, e => e.Key.StartsWith("Task/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("germline")]
    [InlineData("somatic")]
    [InlineData("pgx")]
    [InlineData("structural")]
    public void Build_ReportWithStudiedGenesBuildOrRegions_StudyAndAnalysisValidateAndResolve(string name)
    {
        var transaction = GenomicReportBuilder.Build(SampleLabReports.All[name], SampleLabReports.Provenance);

        var resources = transaction.Bundles.SelectMany(b => b["entry"]!.AsArray()).Select(e => e!["resource"]!.AsObject()).ToList();
        var procedures = resources.Where(r => (string?)r["resourceType"] == "Procedure").ToList();
        Assert.Equal(
            [GenomicsCodes.GenomicStudyAnalysisProfile, GenomicsCodes.GenomicStudyProfile],
            procedures.Select(p => (string?)p["meta"]!["profile"]![0]));
        foreach (var procedure in procedures)
        {
            var result = FhirProfileValidator.Shared.Validate(procedure.ToJsonString());
            Assert.True(result.Errors.Count == 0, string.Join(Environment.NewLine, result.Errors));
        }

        var report = resources.Single(r => (string?)r["resourceType"] == "DiagnosticReport");
        var study = report["extension"]!.AsArray().Single(e => (string?)e!["url"] == GenomicsCodes.GenomicStudyReferenceExtension)!;
        Assert.Equal($"Procedure/{procedures[1]["id"]}", (string?)study["valueReference"]!["reference"]);
        Assert.Empty(BundleValidation.CheckReferences(Assert.Single(transaction.Bundles).ToJsonString()).UnresolvedReferences);
    }

    [Fact]
    public void Build_LabOnlyReport_WritesNoStudy()
    {
        var transaction = GenomicReportBuilder.Build(SampleLabReports.All["lab-only"], SampleLabReports.Provenance);

        var resources = transaction.Bundles.SelectMany(b => b["entry"]!.AsArray()).Select(e => e!["resource"]!.AsObject());
        Assert.DoesNotContain(resources, r => (string?)r["resourceType"] == "Procedure");
    }

    [Fact]
    public void Build_IssuedWithoutZone_ReportValidatesWithoutIssued()
    {
        var transaction = GenomicReportBuilder.Build(SampleLabReports.All["pgx"], SampleLabReports.Provenance);

        var report = transaction.Bundles.SelectMany(b => b["entry"]!.AsArray()).Select(e => e!["resource"]!.AsObject())
            .Single(r => (string?)r["resourceType"] == "DiagnosticReport");
        Assert.Null(report["issued"]);
        Assert.Empty(FhirProfileValidator.Shared.Validate(report.ToJsonString()).Errors);
        Assert.Contains(transaction.Skipped, s => s.Position.Field == "issued");
    }

    private static string Key(JsonObject resource) => $"{(string?)resource["resourceType"]}/{(string?)resource["id"] ?? "(no id)"}";
}
