using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Adapters.Tests.Storage;

/// <summary>The blob store's contract on Azurite: copies are complete, repeats are harmless, missing files are null.</summary>
[Trait("Tier", "Stack")]
public sealed class BlobLabFileStoreTests(LocalStackFixture stack)
{
    [Fact]
    public async Task Copy_ThenDeleteThenCopyAgain_IsDoneOnceAndRepeatIsHarmless()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = Store();
        var path = $"lab-store/{Guid.NewGuid():N}/result.json";
        var content = Encoding.UTF8.GetBytes("{\"resourceType\":\"Bundle\"}");
        var incoming = new LabFileLocation(LabFileAreas.Incoming, path);
        var archive = new LabFileLocation(LabFileAreas.Archive, path);
        await store.WriteAsync(incoming, content, "application/json", ct);

        await store.CopyAsync(incoming, archive, ct);
        await store.DeleteAsync(incoming, ct);
        await store.CopyAsync(incoming, archive, ct); // a retry after the delete: source gone, target there
        await store.DeleteAsync(incoming, ct);

        Assert.Null(await store.OpenReadAsync(incoming, ct));
        await using var copied = await store.OpenReadAsync(archive, ct);
        using var buffer = new MemoryStream();
        await copied!.CopyToAsync(buffer, ct);
        Assert.Equal(content, buffer.ToArray());
    }

    [Fact]
    public async Task Copy_SourceAndTargetMissing_ThrowsFileNotFound()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = $"lab-store/{Guid.NewGuid():N}/missing.json";

        await Assert.ThrowsAsync<FileNotFoundException>(() => Store().CopyAsync(
            new LabFileLocation(LabFileAreas.Incoming, path), new LabFileLocation(LabFileAreas.Archive, path), ct));
    }

    [Fact]
    public async Task List_Prefix_FilesUnderItInPathOrderAndNothingForAnAreaNeverUsed()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = Store();
        var prefix = $"lab-list-{Guid.NewGuid():N}/";
        foreach (var name in (string[])["b.hl7", "a.hl7", "a.hl7.unit-1.held.json"])
            await store.WriteAsync(new LabFileLocation(LabFileAreas.Review, prefix + name), "x"u8.ToArray(), "text/plain", ct);

        var listed = await store.ListAsync(LabFileAreas.Review, prefix, ct);
        var never = await store.ListAsync($"never-{Guid.NewGuid():N}", string.Empty, ct);

        Assert.Equal([prefix + "a.hl7", prefix + "a.hl7.unit-1.held.json", prefix + "b.hl7"], listed.Select(l => l.Path));
        Assert.All(listed, l => Assert.Equal(LabFileAreas.Review, l.Area));
        Assert.Empty(never);
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
