using PrecisionMed.Core.Formats.Hl7v2;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Work;

namespace PrecisionMed.Core.Tests.Formats.Hl7v2;

[Trait("Tier", "Fast")]
public sealed class Hl7v2FormatTests
{
    [Fact]
    public async Task CountUnitsAsync_Batch_CountsItsMessages()
    {
        using var content = new MemoryStream(Hl7v2TestMessages.Corpus("authored/batch_three_messages.hl7"));

        var units = await new Hl7v2Format().CountUnitsAsync(content, TestContext.Current.CancellationToken);

        Assert.Equal(3, units);
    }

    [Theory]
    [InlineData("authored/pgx_cyp2c9_from_pgxexample.hl7", 0)]
    [InlineData("authored/batch_three_messages.hl7", 2)]
    [InlineData("general-lab/msft_LRI_2.0-NG_CBC_Typ_Message.hl7", 0)]
    public async Task BuildUnitAsync_Message_GivesATransactionForTheReport(string file, int unit)
    {
        var bytes = Hl7v2TestMessages.Corpus(file);
        using var content = new MemoryStream(bytes);
        var provenance = new ReportProvenance("lab-a", "incoming/lab-a/" + file, new string('0', 64), Path.GetFileName(file), unit, 3,
            new DateTimeOffset(2026, 3, 14, 9, 26, 53, TimeSpan.Zero), "test");

        var transaction = await new Hl7v2Format().BuildUnitAsync(content, provenance, new ReportUnitBuilder(), TestContext.Current.CancellationToken);

        Assert.NotEmpty(transaction.Bundles);
        Assert.NotEmpty(transaction.Accession);
    }
}
