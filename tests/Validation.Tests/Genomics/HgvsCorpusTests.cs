using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Formats.Fhir;
using PrecisionMed.Core.Formats.Hl7v2;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Arrival;
using PrecisionMed.Core.Pipeline.Work;
using PrecisionMed.Testing.Vcf;
using PrecisionMed.Validation.Genomics;
using Xunit;

namespace PrecisionMed.Validation.Tests.Genomics;

/// <summary>
/// Every corpus VCF and HL7 v2 file (and every file of samples/) through the production intake path (plan, then build
/// every unit, as <c>pmed ingest</c> does): no resource breaks the genomic consistency rule, and the figures of how
/// the HGVS components were written are printed per file and kept in hgvs-figures.tsv beside the test assembly.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class HgvsCorpusTests
{
    private static readonly KnowledgeLookup Knowledge =
        new(EmbeddedKnowledgeSeed.Instance, Options.Create(new KnowledgeOptions()), TimeProvider.System);

    private static readonly string[] Hl7v2Folders = ["genomic", "general-lab", "genomic-obx-fragments", "authored"];

    public static TheoryData<string> Files => new(AllFiles());

    [Fact]
    public void Files_CoverTheCorpusAndTheSamples()
    {
        var files = AllFiles();
        Assert.Equal(30, files.Count(f => f.StartsWith("vcf/", StringComparison.Ordinal)));
        Assert.Contains(files, f => f.StartsWith("hl7v2/genomic-obx-fragments/", StringComparison.Ordinal));
        Assert.Contains(files, f => f.StartsWith("samples/", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task BuildUnit_File_NoResourceBreaksTheGenomicRule(string file)
    {
        var (units, _) = await RunAsync(file, TestContext.Current.CancellationToken);

        var errors = units.SelectMany(u => u.Bundles).SelectMany(b => b["entry"]!.AsArray())
            .Select(e => e!["resource"]!.AsObject())
            .SelectMany(r => GenomicConsistencyRule.Check(r.ToJsonString())
                .Where(i => i.Severity == ValidationSeverity.Error)
                .Select(i => $"{(string?)r["resourceType"]}/{(string?)r["id"]}: {i}"))
            .ToList();
        Assert.True(errors.Count == 0, $"{file}: {errors.Count} error(s):{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
    }

    /// <summary>The figures: per file, HGVS components as sent, completed with their reference sequence, and sent to notes as text.</summary>
    [Fact]
    public async Task BuildUnit_EveryFile_PrintsHowItsHgvsComponentsWereWritten()
    {
        var table = new StringBuilder("file\tunits\tas_sent\tcompleted\tto_text\n");
        var total = HgvsCounts.None;
        foreach (var file in AllFiles())
        {
            var (units, rejected) = await RunAsync(file, TestContext.Current.CancellationToken);
            var counts = units.Aggregate(HgvsCounts.None, (sum, u) => sum.Add(u.Hgvs));
            total = total.Add(counts);
            table.Append(CultureInfo.InvariantCulture, $"{file}\t{(rejected is null ? units.Count.ToString(CultureInfo.InvariantCulture) : "rejected: " + rejected)}\t{counts.AsSent}\t{counts.Completed}\t{counts.ToText}\n");
        }

        table.Append(CultureInfo.InvariantCulture, $"total\t\t{total.AsSent}\t{total.Completed}\t{total.ToText}\n");
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "hgvs-figures.tsv"), table.ToString(), TestContext.Current.CancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine(table.ToString());
        Assert.True(total.Completed > 0 && total.ToText > 0, table.ToString());
    }

    private static List<string> AllFiles()
    {
        var testData = Path.Combine(AppContext.BaseDirectory, "TestData");
        var corpus = Directory.EnumerateFiles(Path.Combine(testData, "vcf"), "*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".vcf", StringComparison.Ordinal) || p.EndsWith(".vcf.gz", StringComparison.Ordinal))
            .Concat(Hl7v2Folders
                .SelectMany(f => Directory.EnumerateFiles(Path.Combine(testData, "hl7v2", f)))
                .Where(p => Path.GetExtension(p) is ".hl7" or ".txt"))
            .Select(p => Path.GetRelativePath(testData, p));
        var samples = Directory.EnumerateFiles(SamplesFolder()).Select(p => "samples/" + Path.GetFileName(p));
        return [.. corpus.Concat(samples).Select(p => p.Replace(Path.DirectorySeparatorChar, '/')).Order(StringComparer.Ordinal)];
    }

    private static string SamplesFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "PrecisionMed.Serverless.sln"))) return Path.Combine(folder.FullName, "samples");
        }

        throw new DirectoryNotFoundException("samples/ was not found above the test assembly");
    }

    /// <summary>The file's units as the intake builds them, or none and why the intake rejected the file.</summary>
    private static async Task<(List<ReportTransaction> Units, string? Rejected)> RunAsync(string file, CancellationToken cancellationToken)
    {
        var path = file.StartsWith("samples/", StringComparison.Ordinal)
            ? Path.Combine(SamplesFolder(), file["samples/".Length..])
            : Path.Combine(AppContext.BaseDirectory, "TestData", file);
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        OpenLabFile open = _ => Task.FromResult<Stream>(new MemoryStream(bytes, writable: false));
        var intake = new LabFileIntake(
        [
            new Hl7v2Format(),
            new VcfFormat(Options.Create(new VcfOptions()), new StoreVariantKnowledge(Knowledge)),
            new FhirBundleFormat(),
        ], new ReportUnitBuilder(new ReportEnricher(Knowledge)));
        var units = new List<ReportTransaction>();
        try
        {
            var plan = await intake.PlanAsync(open, cancellationToken);
            for (var unit = 0; unit < plan.UnitCount; unit++)
            {
                var provenance = new ReportProvenance("lab-h", $"incoming/lab-h/{file}", plan.ContentHash, Path.GetFileName(file), unit, plan.UnitCount,
                    new DateTimeOffset(2026, 3, 14, 9, 30, 0, TimeSpan.Zero), "test")
                {
                    // A VCF is tied to a patient only by what the lab states beside it: here a manifest for every column.
                    Manifest = plan.Format.Format == LabFileFormat.Vcf ? TestVcfManifests.For(Path.GetFileName(file), bytes) : null,
                };
                units.Add(await intake.BuildUnitAsync(open, provenance, cancellationToken));
            }
        }
        catch (LabFileRejectedException ex)
        {
            return (units, ex.Problem.Reason.Split(':')[0]);
        }

        return (units, null);
    }
}
