using System.Text;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Cli.Ingest;
using Xunit;

namespace PrecisionMed.Cli.Tests.Ingest;

/// <summary>
/// Shapes of ORU^R01 that real feeds send, built on a corpus message (tests/TestData/hl7v2/general-lab, provenance in
/// the shared corpus's MANIFEST.tsv) and run through <c>pmed ingest</c> as a lab engineer types it.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class IngestHl7v2MessageShapesTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-ingest-hl7-shapes-");
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    private string Out => Path.Combine(_work.FullName, "out");

    [Fact]
    public async Task Ingest_SecondPatientResultGroupOfAnotherPatient_RejectedNamingItsPid_NothingWritten()
    {
        // microsoft/FHIR-Converter's ORU-R01-RMGEAD (one patient, one glucose), then a second PATIENT_RESULT group as
        // an ORU^R01 allows: another patient's PID, its order and its result.
        var hl7 = Write("two-patients.hl7", Corpus("msft_ORU-R01-RMGEAD.hl7") + "\n"
            + "PID|||999-99-9999||OTHERPATIENT^ANN^A||19700101|F\n"
            + "OBR|2|845440^GHH OE|1045814^GHH LAB|15545^GLUCOSE|||20020215073000+0600||||||||||||||||||F\n"
            + "OBX|1|SN|1554-5^GLUCOSE^LN||^300|mg/dl|70_105|H|||F\n");

        var exit = await InvokeAsync("ingest", hl7, "--out", Out, "--json");

        Assert.Equal(IngestRunner.ExitRejected, exit);
        var error = _stderr.ToString();
        Assert.Contains("two-patients.hl7: rejected: line 5, segment PID[2], field PID-3", error, StringComparison.Ordinal);
        Assert.Contains("more than one patient", error, StringComparison.Ordinal);
        Assert.DoesNotContain("999-99-9999", error + _stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("OTHERPATIENT", error + _stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out) && Directory.GetFiles(Out, "*.transaction.json").Length > 0);
    }

    public void Dispose()
    {
        _work.Delete(recursive: true);
        _stdout.Dispose();
        _stderr.Dispose();
    }

    private static string Corpus(string name) =>
        File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "TestData", "hl7v2", "general-lab", name), Encoding.UTF8);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_work.FullName, "in", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return path;
    }

    private Task<int> InvokeAsync(params string[] args) =>
        PmedCommandLine.RunAsync(args, _stdout, _stderr, TestContext.Current.CancellationToken);
}
