using System.Text;
using System.Text.Json.Nodes;
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

    [Fact]
    public async Task Ingest_SecondPatientResultGroupOfTheSamePatientWrittenDifferently_BothResultsIngestedAndThePidListed()
    {
        // FHIR-Converter's ORU-R01-RMGEAD again, then a second PATIENT_RESULT group whose PID names the same patient as
        // another system writes her: her SSN beside the same identifier, the birth date to the minute, sex and name as sent.
        var hl7 = Write("same-patient.hl7", Corpus("msft_ORU-R01-RMGEAD.hl7") + "\n"
            + "PID|||555-44-4444~555444444^^^SSA^SS||EVERYWOMAN^EVE^E^^^^L||196203200000|F\n"
            + "OBR|2|845440^GHH OE|1045814^GHH LAB|15545^GLUCOSE|||20020215083000+0600||||||||||||||||||F\n"
            + "OBX|1|SN|1554-5^GLUCOSE^LN||^190|mg/dl|70_105|H|||F\n");

        var exit = await InvokeAsync("ingest", hl7, "--out", Out, "--json");

        Assert.True(exit == IngestRunner.ExitOk, _stderr.ToString());
        var resources = Resources(Path.Combine(Out, "same-patient.transaction.json"));
        var patient = Assert.Single(resources, r => (string?)r["resourceType"] == "Patient");
        Assert.Equal("555-44-4444", (string?)Assert.Single(patient["identifier"]!.AsArray())!["value"]);
        Assert.Equal(2, resources.Count(r => (string?)r["resourceType"] == "Observation"));
        var skipped = JsonNode.Parse(_stdout.ToString())![0]!["skipped"]!.AsArray().Select(p => (string?)p).ToList();
        Assert.Contains(skipped, p => p!.Contains("line 5, segment PID[2]", StringComparison.Ordinal) && p.Contains("same patient", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ingest_NoReadableResult_WrittenAsLaboratoryReportNotGenomic()
    {
        // LinuxForHealth's echo report, its one coded OBX-3 emptied as the others are: no OBX can be read.
        var hl7 = Write("echo.hl7", Corpus("lfh_ORU-multiline-short-mixed.hl7").Replace("OBX|1|ST|12345|", "OBX|1|ST||", StringComparison.Ordinal));

        var exit = await InvokeAsync("ingest", hl7, "--out", Out, "--json");

        Assert.True(exit == IngestRunner.ExitOk, _stderr.ToString());
        var report = Resources(Path.Combine(Out, "echo.transaction.json")).Single(r => (string?)r["resourceType"] == "DiagnosticReport");
        Assert.Null(report["meta"]);
        Assert.Equal("LAB", (string?)report["category"]![0]!["coding"]![0]!["code"]);
        Assert.DoesNotContain("51969-4", report["code"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_NmValueThatIsNoNumber_IngestedAsTextWithTheFieldListedNotTheValue()
    {
        // FHIR-Converter's glucose sent as NM with a decimal comma.
        var hl7 = Write("comma.hl7", Corpus("msft_ORU-R01-RMGEAD.hl7").Replace("OBX|1|SN|", "OBX|1|NM|", StringComparison.Ordinal)
            .Replace("||^182|", "||18,2|", StringComparison.Ordinal));

        var exit = await InvokeAsync("ingest", hl7, "--out", Out, "--json");

        Assert.True(exit == IngestRunner.ExitOk, _stderr.ToString());
        var skipped = JsonNode.Parse(_stdout.ToString())![0]!["skipped"]!.AsArray().Select(p => (string?)p).ToList();
        var problem = Assert.Single(skipped, p => p!.Contains("field OBX-5", StringComparison.Ordinal));
        Assert.Contains("line 4, segment OBX[1]", problem, StringComparison.Ordinal);
        Assert.Contains("not a number", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("18,2", _stdout.ToString() + _stderr, StringComparison.Ordinal);
        var glucose = Resources(Path.Combine(Out, "comma.transaction.json")).Single(r => (string?)r["resourceType"] == "Observation");
        Assert.Equal("18,2", (string?)glucose["valueString"]);
    }

    [Theory]
    [InlineData(new byte[] { 0x1A })]
    [InlineData(new byte[] { 0x0D, 0x1A })]
    [InlineData(new byte[] { 0x0A, 0x1A, 0x00, 0x00 })]
    public async Task Ingest_DosEndOfFileMarkAfterLastSegment_Ingested(byte[] tail)
    {
        // FHIR-Converter's glucose report ends at OBX-11 with no line break: the mark would otherwise end that field.
        var hl7 = WriteBytes("ctrl-z.hl7", [.. Encoding.UTF8.GetBytes(Corpus("msft_ORU-R01-RMGEAD.hl7")), .. tail]);

        var exit = await InvokeAsync("ingest", hl7, "--out", Out, "--json");

        Assert.True(exit == IngestRunner.ExitOk, _stderr.ToString());
        var glucose = Resources(Path.Combine(Out, "ctrl-z.transaction.json")).Single(r => (string?)r["resourceType"] == "Observation");
        Assert.Equal("final", (string?)glucose["status"]);
    }

    [Fact]
    public async Task Ingest_DosEndOfFileMarkWithASegmentAfterIt_RejectedAtThatLine()
    {
        var hl7 = WriteBytes("ctrl-z-inside.hl7",
            [.. Encoding.UTF8.GetBytes(Corpus("msft_ORU-R01-RMGEAD.hl7") + "\n"), 0x1A, .. "NTE|1||more\n"u8]);

        var exit = await InvokeAsync("ingest", hl7, "--out", Out, "--json");

        Assert.Equal(IngestRunner.ExitRejected, exit);
        Assert.Contains("ctrl-z-inside.hl7: rejected: line 5", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ingest_Utf16WithByteOrderMark_RejectedNamingUtf16AndAskingForUtf8(bool bigEndian)
    {
        var utf16 = new UnicodeEncoding(bigEndian, byteOrderMark: true);
        var hl7 = WriteBytes("utf16.hl7", [.. utf16.GetPreamble(), .. utf16.GetBytes(Corpus("msft_ORU-R01-RMGEAD.hl7"))]);

        var exit = await InvokeAsync("ingest", hl7, "--out", Out, "--json");

        Assert.Equal(IngestRunner.ExitRejected, exit);
        var error = _stderr.ToString();
        Assert.Contains("utf16.hl7: rejected:", error, StringComparison.Ordinal);
        Assert.Contains(bigEndian ? "UTF-16 (big-endian)" : "UTF-16 (little-endian)", error, StringComparison.Ordinal);
        Assert.Contains("send it as UTF-8", error, StringComparison.Ordinal);
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

    private string WriteBytes(string name, byte[] content)
    {
        var path = Path.Combine(_work.FullName, "in", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static List<JsonObject> Resources(string bundle) =>
        [.. JsonNode.Parse(File.ReadAllText(bundle))!["entry"]!.AsArray().Select(e => e!["resource"]!.AsObject())];

    private Task<int> InvokeAsync(params string[] args) =>
        PmedCommandLine.RunAsync(args, _stdout, _stderr, TestContext.Current.CancellationToken);
}
