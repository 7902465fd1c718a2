using PrecisionMed.Core.LabReports;
using PrecisionMed.Testing.Validation;
using Xunit;

namespace PrecisionMed.Validation.Tests.Hl7v2;

/// <summary>
/// Every ORU^R01 of the corpus copies and every authored message, through the real intake path: each resource of
/// each bundle validates against R4 and its Genomics Reporting IG 3.0.0 profile, and each bundle's references resolve.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class Hl7v2OutputValidationTests
{
    /// <summary>Files the HL7 v2 format does not accept as report units: orders and OBX-only fragments.</summary>
    private static readonly string[] NotReports =
    [
        "genomic/nwgmsa_MFT_OML_O21_PDF.txt",
        "genomic/pharmcat.example.order.hl7",
    ];

    public static TheoryData<string> OruFiles => new(
        Hl7v2Pipeline.Files("genomic", "general-lab", "authored").Where(f => !NotReports.Contains(f)));

    public static TheoryData<string> RejectedFiles => new(
        NotReports.Concat(Hl7v2Pipeline.Files("genomic-obx-fragments")));

    [Fact]
    public void OruFiles_CoverTheCorpusAndTheAuthoredMessages()
    {
        Assert.True(OruFiles.Count >= 17, $"only {OruFiles.Count} ORU files found under {Hl7v2Pipeline.Root}");
    }

    [Theory]
    [MemberData(nameof(OruFiles))]
    public async Task BuildUnit_OruFile_EveryResourceValidatesWithoutErrors(string file)
    {
        var units = await Hl7v2Pipeline.RunAsync(file, TestContext.Current.CancellationToken);

        var errors = new List<string>();
        var resources = 0;
        foreach (var (transaction, unit) in units.Select((t, i) => (t, i)))
        {
            Assert.NotEmpty(transaction.Bundles);
            foreach (var resource in transaction.Bundles.SelectMany(Hl7v2Pipeline.Resources))
            {
                resources++;
                var key = $"unit {unit} {(string?)resource["resourceType"]}/{(string?)resource["id"]}";
                errors.AddRange(FhirProfileValidator.Shared.Validate(resource.ToJsonString()).Errors.Select(e => $"{key}: {e}"));
            }
        }

        Assert.True(errors.Count == 0, $"{file}: {errors.Count} validation error(s):{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
        Assert.True(resources > 0, $"{file}: no resources");
    }

    [Theory]
    [MemberData(nameof(OruFiles))]
    public async Task BuildUnit_OruFile_EveryReferenceResolvesInItsBundle(string file)
    {
        var units = await Hl7v2Pipeline.RunAsync(file, TestContext.Current.CancellationToken);

        foreach (var bundle in units.SelectMany(u => u.Bundles))
        {
            var report = BundleValidation.CheckReferences(bundle.ToJsonString());
            Assert.Empty(report.BundleErrors);
            Assert.True(report.UnresolvedReferences.Count == 0,
                $"{file}: unresolved references:{Environment.NewLine}{string.Join(Environment.NewLine, report.UnresolvedReferences)}");
        }
    }

    [Theory]
    [MemberData(nameof(RejectedFiles))]
    public async Task PlanOrBuild_OrderOrFragment_IsRejectedWithAPositionedReason(string file)
    {
        var rejected = await Assert.ThrowsAsync<LabFileRejectedException>(
            () => Hl7v2Pipeline.RunAsync(file, TestContext.Current.CancellationToken));

        Assert.False(string.IsNullOrWhiteSpace(rejected.Problem.Reason));
        Assert.NotEqual(SourcePosition.None, rejected.Problem.Position);
        Assert.NotEqual("(whole file)", rejected.Problem.Position.ToString());
    }
}
