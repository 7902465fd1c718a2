using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Work;
using PrecisionMed.Core.Tests.Formats.Hl7v2;

namespace PrecisionMed.Core.Tests.Pipeline.Work;

/// <summary>
/// The genomic index holds genomic tests only: every general-lab message of the public corpus writes no entry, every
/// genomic one writes its entry, and a report that replaced a genomic version of itself takes that version's entry out.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class GenomicIndexWriterTests
{
    private const string Patient = "Patient/emr-1";
    private static readonly FhirWriteResult Written = new([$"{Patient}/_history/1"]);

    public static TheoryData<string> GeneralLab => new(Hl7v2TestMessages.CorpusFiles().Where(f => f.StartsWith("general-lab/", StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(GeneralLab))]
    public async Task GeneralLabMessage_WritesNoEntry(string file)
    {
        using var transaction = await Hl7v2TestMessages.BuildAsync(Hl7v2TestMessages.Corpus(file));
        var index = new InMemoryGenomicIndex();

        var count = await new GenomicIndexWriter(index).WriteAsync(transaction, new ReportUnitWrite(false, Written, null), TestContext.Current.CancellationToken);

        Assert.Equal(0, count);
        Assert.Empty(await index.ReadSubjectAsync(Patient, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task MessageWithNoReadableResult_WritesNoEntry()
    {
        // LinuxForHealth's echo report with its one coded OBX-3 emptied as well: no OBX can be read.
        var text = System.Text.Encoding.UTF8.GetString(Hl7v2TestMessages.Corpus("general-lab/lfh_ORU-multiline-short-mixed.hl7"));
        using var transaction = await Hl7v2TestMessages.BuildAsync(Hl7v2TestMessages.Bytes(text.Replace("OBX|1|ST|12345|", "OBX|1|ST||", StringComparison.Ordinal)));
        var index = new InMemoryGenomicIndex();

        var count = await new GenomicIndexWriter(index).WriteAsync(transaction, new ReportUnitWrite(false, Written, null), TestContext.Current.CancellationToken);

        Assert.Equal(0, count);
        Assert.Empty(await index.ReadSubjectAsync(Patient, TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("genomic/nwgmsa_MFT_ORU_R01_PDF.txt")]
    [InlineData("genomic/nwgmsa_NWGMSA_ORU_R01_PDF.txt")]
    public async Task GenomicMessage_WritesItsEntry(string file)
    {
        using var transaction = await Hl7v2TestMessages.BuildAsync(Hl7v2TestMessages.Corpus(file));
        var index = new InMemoryGenomicIndex();

        var count = await new GenomicIndexWriter(index).WriteAsync(transaction, new ReportUnitWrite(false, Written, null), TestContext.Current.CancellationToken);

        Assert.Equal(1, count);
        var entry = Assert.Single(await index.ReadSubjectAsync(Patient, TestContext.Current.CancellationToken));
        Assert.Equal(transaction.ReportReference, entry.Report);
    }

    [Fact]
    public async Task GeneralLabVersionOfAGenomicReport_RemovesItsEntry_OnlyWhenItReplacedAVersion()
    {
        var ct = TestContext.Current.CancellationToken;
        using var transaction = await Hl7v2TestMessages.BuildAsync(Hl7v2TestMessages.Corpus("general-lab/msft_ORU-R01-01.hl7"));
        var index = new InMemoryGenomicIndex();
        var other = new IndexedReport { Report = "DiagnosticReport/other", Patient = Patient };
        await index.WriteAsync(other, ct);
        await index.WriteAsync(new IndexedReport { Report = transaction.ReportReference!, Patient = Patient }, ct);
        var writer = new GenomicIndexWriter(index);

        Assert.Equal(0, await writer.WriteAsync(transaction, new ReportUnitWrite(false, Written, null), ct));
        Assert.Equal(2, (await index.ReadSubjectAsync(Patient, ct)).Count);

        Assert.Equal(1, await writer.WriteAsync(transaction, new ReportUnitWrite(false, Written, null, ReplacedVersion: true), ct));
        Assert.Equal(other.Report, Assert.Single(await index.ReadSubjectAsync(Patient, ct)).Report);
    }
}
