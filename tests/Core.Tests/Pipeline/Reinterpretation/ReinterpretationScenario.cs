using System.Text;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Diff;
using PrecisionMed.Core.Knowledge.Import;
using PrecisionMed.Core.Tests.Fakes;

namespace PrecisionMed.Core.Tests.Pipeline.Reinterpretation;

/// <summary>
/// A report ingested while the store held ClinVar's 2019-08-05 release (a GRCh37 VCF carrying every variant of it for
/// one patient), then the 2019-09-15 release imported: the pipeline, the index and the diff as production has them.
/// </summary>
internal sealed class ReinterpretationScenario : IDisposable
{
    private static readonly TimeProvider Clock = new FixedTimeProvider(new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero));

    public InMemoryKnowledgeStore Store { get; } = new();

    public PipelineHarness Harness { get; }

    public ReinterpretationScenario() => Harness = new PipelineHarness(knowledge: Store);

    /// <summary>One heterozygous call per record of the release, the sample named <c>SAMPLE1</c>.</summary>
    public static byte[] PatientVcf(int patient = 1)
    {
        var vcf = new StringBuilder()
            .Append("##fileformat=VCFv4.2\n##reference=GRCh37\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n")
            .Append(System.Globalization.CultureInfo.InvariantCulture, $"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tSAMPLE{patient}\n");
        foreach (var (chrom, pos, reference, alt) in Release1Variants) vcf.Append(System.Globalization.CultureInfo.InvariantCulture, $"{chrom}\t{pos}\t.\t{reference}\t{alt}\t.\tPASS\t.\tGT\t0/1\n");
        return Encoding.UTF8.GetBytes(vcf.ToString());
    }

    public static readonly (string Chrom, long Pos, string Ref, string Alt)[] Release1Variants =
    [
        ("1", 949523, "C", "T"), ("1", 949559, "C", "T"), ("1", 45797835, "T", "G"), ("2", 47641560, "A", "T"), ("3", 37092140, "G", "GT"),
        ("4", 84383745, "T", "TC"), ("5", 37060961, "CT", "C"), ("16", 89371704, "C", "T"), ("X", 153138030, "C", "T"),
    ];

    public Task<ImportResult> ImportAsync(string release) => ImportAsync(Store, release);

    public static async Task<ImportResult> ImportAsync(InMemoryKnowledgeStore store, string release)
    {
        await using var file = File.OpenRead(TestFiles.PathOf("knowledge/clinvar/releases/" + release));
        return await new KnowledgeImporter(store, store, ImpactMatrix.Default, Clock).ImportAsync(
            KnowledgeSource.ClinVar, file, release, maxConcurrency: 1, cancellationToken: TestContext.Current.CancellationToken);
    }

    /// <summary>Drops the patient's VCF and runs its work items.</summary>
    public async Task IngestAsync(int patient = 1)
    {
        var before = Harness.Queue.Messages.Count;
        await Harness.DropAsync(PatientVcf(patient), $"patient-{patient}.vcf");
        foreach (var message in Harness.Queue.Messages.Skip(before).ToList()) await Harness.Work.HandleAsync(message, TestContext.Current.CancellationToken);
    }

    public void Dispose() => Harness.Dispose();
}
