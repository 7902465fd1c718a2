using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Adapters.Tests.Storage;

/// <summary>Version-held and ranged reads on Azurite: only the bytes asked for, and only of the version taken.</summary>
[Trait("Tier", "Stack")]
public sealed class BlobLabFileRangedReadTests(LocalStackFixture stack)
{
    private static readonly byte[] Content = Encoding.ASCII.GetBytes("FHS|^~\\&\rMSH|one\rPID|1\rMSH|two\rPID|2\rFTS|1\r");

    [Fact]
    public async Task OpenRead_RangeOfTheVersionTaken_ReturnsExactlyThoseBytes()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, location) = await WrittenAsync(ct);
        var version = await store.FindVersionAsync(location, ct);

        Assert.NotNull(version);
        Assert.Equal("MSH|two\rPID|2"u8.ToArray(), await ReadAsync(await store.OpenReadAsync(location, version, 23, 13, ct), ct));
        Assert.Equal(Content, await ReadAsync(await store.OpenReadAsync(location, version, 0, null, ct), ct));
    }

    [Fact]
    public async Task OpenRead_BlobOverwrittenSinceTheVersionWasTaken_ThrowsChangedNamingOnlyTheArea()
    {
        var ct = TestContext.Current.CancellationToken;
        var (store, location) = await WrittenAsync(ct);
        var version = await store.FindVersionAsync(location, ct);
        await store.WriteAsync(location, "MSH|other\r"u8.ToArray(), "text/plain", ct);

        var changed = await Assert.ThrowsAsync<LabFileChangedException>(() => store.OpenReadAsync(location, version!, 23, 13, ct));
        Assert.Equal(LabFileAreas.Incoming, changed.Area);
        Assert.DoesNotContain(location.Path, changed.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<LabFileChangedException>(() => store.OpenReadAsync(location, version!, 0, null, ct));
        Assert.NotEqual(version, await store.FindVersionAsync(location, ct));
    }

    [Fact]
    public async Task FindVersionAndOpenRead_MissingBlob_Null()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = Store();
        var location = new LabFileLocation(LabFileAreas.Incoming, $"lab-range/{Guid.NewGuid():N}/gone.hl7");

        Assert.Null(await store.FindVersionAsync(location, ct));
        Assert.Null(await store.OpenReadAsync(location, "\"0x1\"", 0, 10, ct));
    }

    private async Task<(ILabFileStore Store, LabFileLocation Location)> WrittenAsync(CancellationToken ct)
    {
        var store = Store();
        var location = new LabFileLocation(LabFileAreas.Incoming, $"lab-range/{Guid.NewGuid():N}/batch.hl7");
        await store.WriteAsync(location, Content, "text/plain", ct);
        return (store, location);
    }

    private static async Task<byte[]> ReadAsync(Stream? stream, CancellationToken ct)
    {
        Assert.NotNull(stream);
        await using (stream)
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, ct);
            return buffer.ToArray();
        }
    }

    private ILabFileStore Store()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LabStorage"] = stack.Stack.AzuriteConnectionString,
            ["LabStorage:CreateIfMissing"] = "true",
        }).Build();
        return new ServiceCollection().AddLabStorage(configuration).BuildServiceProvider().GetRequiredService<ILabFileStore>();
    }
}
