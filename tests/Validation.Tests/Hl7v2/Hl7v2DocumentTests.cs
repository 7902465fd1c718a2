using System.Text.Json.Nodes;
using PrecisionMed.Testing.Validation;
using Xunit;

namespace PrecisionMed.Validation.Tests.Hl7v2;

/// <summary>The two real genomic ORU messages carry their PDF report: attached to the GenomicReport, valid.</summary>
[Trait("Tier", "Fast")]
public sealed class Hl7v2DocumentTests
{
    [Theory]
    [InlineData("genomic/nwgmsa_NWGMSA_ORU_R01_PDF.txt")]
    [InlineData("genomic/nwgmsa_MFT_ORU_R01_PDF.txt")]
    public async Task RealGenomicOru_WithPdf_GenomicReportHasThePdfAttached(string file)
    {
        var transaction = Assert.Single(await Hl7v2Pipeline.RunAsync(file, TestContext.Current.CancellationToken));
        var resources = transaction.Bundles.SelectMany(Hl7v2Pipeline.Resources).ToList();

        var report = resources.Single(r => r["resourceType"]!.GetValue<string>() == "DiagnosticReport");
        Assert.Contains("genomic-report", report["meta"]!["profile"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var form = Assert.Single(report["presentedForm"]!.AsArray())!;
        Assert.Equal("application/pdf", form["contentType"]!.GetValue<string>());
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(form["data"]!.GetValue<string>())), StringComparison.Ordinal);

        // The samples' base64 is cut short, so the document says it is incomplete rather than pass as whole.
        // The lab's PDF; the other DocumentReference is the one every report has to its original file.
        var document = resources.Single(r => r["resourceType"]!.GetValue<string>() == "DocumentReference" && r["docStatus"] is not null);
        Assert.Equal("preliminary", document["docStatus"]!.GetValue<string>());
        Assert.Contains("incomplete", document["description"]!.GetValue<string>(), StringComparison.Ordinal);
        foreach (var resource in (JsonObject[])[report, document])
        {
            var validation = FhirProfileValidator.Shared.Validate(resource.ToJsonString());
            Assert.True(validation.IsValid, validation.ToString());
        }
    }
}
