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

    [Fact]
    public async Task ReadAll_HeldWholeInMemory_TheHeldArrayCountedAsReadAndStillLimited()
    {
        var ct = TestContext.Current.CancellationToken;
        long counted = 0;
        await using var held = new PrecisionMed.Core.Pipeline.LimitedReadStream(new MemoryStream(Content, 0, Content.Length, writable: false, publiclyVisible: true), read => counted = read);

        Assert.Same(Content, await LabFileContent.ReadAllAsync(held, 1000, "HL7 v2", ct));
        Assert.Equal(Content.Length, counted);

        // Too large for the document limit, and refused by the file limit's check: both still stop it.
        await using var large = new PrecisionMed.Core.Pipeline.LimitedReadStream(new MemoryStream(Content, 0, Content.Length, writable: false, publiclyVisible: true), _ => { });
        await Assert.ThrowsAsync<LabFileRejectedException>(() => LabFileContent.ReadAllAsync(large, Content.Length - 1, "HL7 v2", ct));
        await using var refused = new PrecisionMed.Core.Pipeline.LimitedReadStream(
            new MemoryStream(Content, 0, Content.Length, writable: false, publiclyVisible: true),
            _ => throw new LabFileRejectedException(SourcePosition.None, "too large a file"));
        await Assert.ThrowsAsync<LabFileRejectedException>(() => LabFileContent.ReadAllAsync(refused, 1000, "HL7 v2", ct));

        // Part of an array, or a stream already read from, is copied as before.
        await using var part = new PrecisionMed.Core.Pipeline.LimitedReadStream(new MemoryStream(Content, 3, Content.Length - 3, writable: false, publiclyVisible: true), _ => { });
        Assert.Equal(Content[3..], await LabFileContent.ReadAllAsync(part, 1000, "HL7 v2", ct));
    }

    private sealed class StatedLengthStream(byte[] content, long? stated) : MemoryStream(content, writable: false), IKnownLengthStream
    {
        public long? RemainingBytes => stated is { } s ? s - Position : null;

        public bool TryTakeHeld(out byte[] bytes)
        {
            bytes = [];
            return false;
        }
    }
}
