using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Cli.Ledger;
using PrecisionMed.Core.Pipeline.Replay;
using Xunit;

namespace PrecisionMed.Cli.Tests.Ledger;

/// <summary>
/// <c>pmed replay</c> against Azure as the README shows it (<c>--storage https://ACCOUNT.queue.core.windows.net/</c>,
/// the signed-in identity): the services it needs are all configured from that one URL, with nothing sent anywhere.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class LedgerConnectionTests
{
    [Fact]
    public async Task BuildServices_AzureQueueServiceUrl_EverySettingPresentAndTheReplayerBuilt()
    {
        var connection = new LedgerConnection(
            new Uri("https://acct.documents.azure.com:443/"), CosmosKey: null, "precisionmed", "https://labdata.queue.core.windows.net/", "lab-reports");

        await using var services = connection.BuildServices();

        Assert.Null(AppServices.SettingsProblem(services));
        Assert.NotNull(services.GetRequiredService<LabFileReplayer>());
    }

    [Theory]
    [InlineData("https://labdata.queue.core.windows.net/", "https://labdata.blob.core.windows.net/")]
    [InlineData("https://labdata.queue.core.usgovcloudapi.net/", "https://labdata.blob.core.usgovcloudapi.net/")]
    [InlineData("http://127.0.0.1:10001/devstoreaccount1", null)]
    public void BlobServiceOf_TheSameAccountsBlobService(string queueService, string? blobService) =>
        Assert.Equal(blobService is null ? null : new Uri(blobService), LedgerConnection.BlobServiceOf(new Uri(queueService)));
}
