using System.Text;
using PrecisionMed.Core.Formats;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Tests.Formats;

/// <summary>
/// Reading a whole file: a stream that states its length is read into an array its size, and one whose length changed
/// while it was read (said more, said less) or that exceeds the limit reads as the general path does.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class LabFileContentTests
{
    private static readonly byte[] Content = Encoding.ASCII.GetBytes("MSH|^~\\&|LAB|\rPID|1||123\r");

    [Theory]
    [InlineData(null)] // length unknown (a decompressing stream)
    [InlineData(0)] // says exact
    [InlineData(-5)] // says fewer bytes than it has (the file grew)
    [InlineData(1)] // says one more byte than it has (the file shrank)
    [InlineData(100)]
    public async Task ReadAll_StatedOrUnstatedLength_GivesExactlyTheBytes(int? statedMinusActual)
    {
        await using var stream = new StatedLengthStream(Content, statedMinusActual is { } d ? Content.Length + d : null);

        var bytes = await LabFileContent.ReadAllAsync(stream, 1000, "HL7 v2", TestContext.Current.CancellationToken);

        Assert.Equal(Content, bytes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(-10)] // says it fits, holds more than the limit
    public async Task ReadAll_LargerThanTheLimit_RejectedNamingTheSetting(int? statedMinusActual)
    {
        await using var stream = new StatedLengthStream(Content, statedMinusActual is { } d ? Content.Length + d : null);

        var ex = await Assert.ThrowsAsync<LabFileRejectedException>(() => LabFileContent.ReadAllAsync(stream, Content.Length - 5, "HL7 v2", TestContext.Current.CancellationToken));

        Assert.Contains("MaxDocumentBytes", ex.Message, StringComparison.Ordinal);
    }

    private sealed class StatedLengthStream(byte[] content, long? stated) : MemoryStream(content, writable: false), IKnownLengthStream
    {
        public long? RemainingBytes => stated is { } s ? s - Position : null;
    }
}
