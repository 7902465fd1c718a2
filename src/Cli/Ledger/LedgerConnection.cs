using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Adapters;
using PrecisionMed.Cli.Knowledge;

namespace PrecisionMed.Cli.Ledger;

/// <summary>
/// Where <c>pmed status</c> and <c>pmed replay</c> find the app's ledger and work queue, in the same shape as
/// <c>pmed knowledge import</c>: <c>--cosmos URL</c> with <c>--cosmos-key</c> for an emulator (without a key, the
/// signed-in identity); <c>--storage</c> an emulator connection string or the lab account's queue service URL (identity).
/// The function app's other settings (<c>Pipeline__MaxReplays</c>, ...) come from the environment (<see cref="AppServices"/>).
/// </summary>
internal sealed record LedgerConnection(Uri Cosmos, string? CosmosKey, string Database, string? Storage, string Queue)
{
    /// <summary>The FHIR service, for a command that reads it too (<c>pmed serve</c>); none by default.</summary>
    public Uri? Fhir { get; init; }

    /// <summary>The app's endpoints are served on loopback only (<c>pmed serve</c>): no app roles are asked for.</summary>
    public bool LoopbackApi { get; init; }

    /// <summary>
    /// The Entra ID (or test) issuer whose access tokens the Genomics operations verify, with <see cref="ApiAudience"/>
    /// (<c>pmed serve --auth-authority --auth-audience</c>): app roles are then asked for even on loopback.
    /// </summary>
    public Uri? ApiAuthority { get; init; }

    public string? ApiAudience { get; init; }

    /// <summary>Knowledge from the seed embedded in pmed rather than the Cosmos container (<c>pmed serve --embedded-knowledge</c>).</summary>
    public bool EmbeddedKnowledge { get; init; }

    /// <param name="first">The command's own services, registered before the app's (see <see cref="AppServices.Build"/>).</param>
    public ServiceProvider BuildServices(Action<IServiceCollection>? first = null)
    {
        var settings = CosmosSettings.For(Cosmos, CosmosKey, Database);
        settings["LabStorage:WorkQueueName"] = Queue;
        if (Uri.TryCreate(Storage, UriKind.Absolute, out var queueService) && queueService.Scheme is "https" or "http")
        {
            settings["LabStorage:QueueServiceUri"] = queueService.ToString();
            // The same account's blob service (a replayed arrival reads the file): Azure names both after the account.
            if (BlobServiceOf(queueService) is { } blobService) settings["LabStorage:BlobServiceUri"] = blobService.ToString();
        }
        else if (!string.IsNullOrWhiteSpace(Storage))
        {
            settings["LabStorage"] = Storage;
            settings["LabStorage:CreateIfMissing"] = "true"; // a connection string is a local emulator: Azure has shared keys off
        }

        if (LoopbackApi) settings["Api:LoopbackOnly"] = "true";
        if (ApiAuthority is not null && ApiAudience is not null)
        {
            settings["Api:Auth:Authority"] = ApiAuthority.ToString();
            settings["Api:Auth:Audience"] = ApiAudience;
        }


        if (EmbeddedKnowledge) settings["Knowledge:Store"] = "Embedded";
        var required = Storage is null ? AppConnections.Cosmos : AppConnections.Cosmos | AppConnections.LabStorage;
        if (Fhir is not null)
        {
            settings["Fhir:BaseUrl"] = Fhir.ToString();
            required |= AppConnections.Fhir;
        }

        return AppServices.Build(settings, required, first);
    }

    /// <summary><c>https://ACCOUNT.blob.core.windows.net/</c> for <c>https://ACCOUNT.queue.core.windows.net/</c>; null for another shape.</summary>
    internal static Uri? BlobServiceOf(Uri queueService)
    {
        var labels = queueService.Host.Split('.');
        if (labels.Length < 3 || labels[1] != "queue") return null;
        labels[1] = "blob";
        return new UriBuilder(queueService) { Host = string.Join('.', labels) }.Uri;
    }
}
