using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir.Genomics;
using PrecisionMed.Testing.Validation;
using Xunit;

namespace PrecisionMed.Validation.Tests.Genomics;

/// <summary>Every resource the GenomicReportBuilder writes, validated offline against R4 and the IG 3.0.0 profiles.</summary>
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

    private static string Key(JsonObject resource) => $"{(string?)resource["resourceType"]}/{(string?)resource["id"] ?? "(no id)"}";
}
