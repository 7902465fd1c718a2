using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Cli.Ingest;
using PrecisionMed.Testing.Vcf;
using Xunit;

namespace PrecisionMed.Cli.Tests.Ingest;

/// <summary>
/// <c>pmed ingest</c> ties a VCF to a patient only by what is stated: the manifest beside it (read with it, not counted
/// as a file), or <c>--patient SYSTEM|VALUE [--accession ID]</c> for one single-sample file; with neither the VCF is held.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class IngestVcfIdentityTests : IDisposable
{
    private const string System = "urn:oid:2.16.840.1.113883.19.5.99";
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-ingest-identity-");
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    private string Out => Path.Combine(_work.FullName, "out");

    [Fact]
    public async Task Folder_VcfWithItsManifest_IngestedUnderTheStatedPatientManifestNotAFile()
    {
        var vcf = Copy("vcf2fhir/NB6TK328_filtered.vcf", "in/results.vcf");
        TestVcfManifests.WriteBeside(vcf, "mrn-", "ACC-");

        var exit = await InvokeAsync("ingest", Path.GetDirectoryName(vcf)!, "--out", Out, "--json");

        Assert.Equal(IngestRunner.ExitOk, exit);
        var result = Assert.Single(JsonNode.Parse(_stdout.ToString())!.AsArray())!; // the manifest is no file of its own
        Assert.Equal("ingested", (string?)result["status"]);
        Assert.Equal("results.vcf.manifest.json", (string?)result["manifest"]);
        var (patient, accession) = PatientAndAccession();
        Assert.Equal("mrn-NB6TK328", patient);
        Assert.Equal("ACC-NB6TK328", accession);
    }

    [Fact]
    public async Task Table_ShowsTheManifestWithItsVcf()
    {
        var vcf = Copy("vcf2fhir/NB6TK328_filtered.vcf", "in/results.vcf");
        TestVcfManifests.WriteBeside(vcf);

        Assert.Equal(IngestRunner.ExitOk, await InvokeAsync("ingest", Path.GetDirectoryName(vcf)!, "--out", Out));

        Assert.Contains("results.vcf +manifest", _stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("1 of 1 file(s) ingested", _stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PatientAndAccession_SingleSampleFile_IngestedUnderThem()
    {
        var vcf = Copy("pgx/pharmcat_Sample_1.preprocessed.vcf", "pgx.vcf");

        var exit = await InvokeAsync("ingest", vcf, "--out", Out, "--patient", System + "|MRN-42", "--accession", "PGX-2026-1");

        Assert.Equal(IngestRunner.ExitOk, exit);
        Assert.Equal(("MRN-42", "PGX-2026-1"), PatientAndAccession());
    }

    [Fact]
    public async Task Neither_VcfHeldWithTheReasonExitTwoNothingWritten()
    {
        var vcf = Copy("pgx/pharmcat_Sample_1.preprocessed.vcf", "pgx.vcf");

        var exit = await InvokeAsync("ingest", vcf, "--out", Out);

        Assert.Equal(IngestRunner.ExitRejected, exit);
        Assert.Contains(
            "pgx.vcf: held: no patient identity for sample column 1: no manifest (the VCF's file name + .manifest.json), and the lab profile names no VCF identity source",
            _stderr.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Out, "*.transaction.json"));
    }

    [Fact]
    public async Task InvalidManifest_RejectedNamingTheManifestAndPath()
    {
        var vcf = Copy("vcf2fhir/NB6TK328_filtered.vcf", "results.vcf");
        await File.WriteAllTextAsync(vcf + ".manifest.json", """{"vcf": "results.vcf", "samples": [{"sample": "NB6TK328", "patient": {}}]}""", TestContext.Current.CancellationToken);

        Assert.Equal(IngestRunner.ExitRejected, await InvokeAsync("ingest", vcf, "--out", Out));

        Assert.Contains("results.vcf: rejected: results.vcf.manifest.json: $.samples[0].patient.identifier: VCF manifest: is required", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no-bar")]
    [InlineData("not a uri|MRN-1")]
    [InlineData("urn:oid:1.2.3|")]
    public async Task Patient_Malformed_UsageErrorWithoutEchoingIt(string patient)
    {
        var vcf = Copy("pgx/pharmcat_Sample_1.preprocessed.vcf", "pgx.vcf");

        Assert.Equal(ExitCodes.Usage, await InvokeAsync("ingest", vcf, "--out", Out, "--patient", patient));

        Assert.Contains("--patient must be SYSTEM|VALUE", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patient_SeveralFiles_UsageError()
    {
        var one = Copy("pgx/pharmcat_Sample_1.preprocessed.vcf", "a.vcf");
        var two = Copy("vcf2fhir/NB6TK328_filtered.vcf", "b.vcf");

        Assert.Equal(ExitCodes.Usage, await InvokeAsync("ingest", one, two, "--out", Out, "--patient", System + "|MRN-1"));

        Assert.Contains("--patient states one patient for one file, but 2 files were given", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patient_MultiSampleVcf_UsageError()
    {
        var vcf = Copy("edge/bcftools_haploid-diploid.vcf", "family.vcf");

        Assert.Equal(ExitCodes.Usage, await InvokeAsync("ingest", vcf, "--out", Out, "--patient", System + "|MRN-1"));

        Assert.Contains("sample columns: put a NAME.vcf.manifest.json beside it", _stderr.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out) && Directory.GetFiles(Out).Length > 0);
    }

    [Fact]
    public async Task Accession_WithoutPatient_UsageError()
    {
        var vcf = Copy("pgx/pharmcat_Sample_1.preprocessed.vcf", "pgx.vcf");

        Assert.Equal(ExitCodes.Usage, await InvokeAsync("ingest", vcf, "--out", Out, "--accession", "A-1"));
    }

    public void Dispose()
    {
        _stdout.Dispose();
        _stderr.Dispose();
        _work.Delete(recursive: true);
    }

    private string Copy(string corpusPath, string name)
    {
        var target = Path.Combine(_work.FullName, name);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(Path.Combine(RepositoryPaths.Root, "tests", "TestData", "vcf", corpusPath), target);
        return target;
    }

    private (string? Patient, string? Accession) PatientAndAccession()
    {
        var bundle = JsonNode.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(Out, "*.transaction.json"))))!;
        var resources = bundle["entry"]!.AsArray().Select(e => e!["resource"]!).ToList();
        var patient = resources.Single(r => (string?)r["resourceType"] == "Patient");
        var report = resources.Single(r => (string?)r["resourceType"] == "DiagnosticReport");
        return ((string?)patient["identifier"]!.AsArray().Single(i => (string?)i!["system"] == System)!["value"], (string?)report["identifier"]?[0]?["value"]);
    }

    private Task<int> InvokeAsync(params string[] args) =>
        PmedCommandLine.RunAsync(args, _stdout, _stderr, TestContext.Current.CancellationToken);
}
