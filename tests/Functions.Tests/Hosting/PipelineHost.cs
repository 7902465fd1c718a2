using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PrecisionMed.Adapters;
using PrecisionMed.Api;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Ledger;
using PrecisionMed.Functions.Triggers;
using PrecisionMed.Testing.Stack;

namespace PrecisionMed.Functions.Tests.Hosting;

/// <summary>
/// The function app's services wired by the registration Program.cs uses (AddPrecisionMed), pointed at the local
/// stack, built with the container's checks on and the settings checked as the host checks them at start.
/// Each host gets its own work queue and Cosmos database so tests do not see each other's messages
/// or ledger records; blobs and FHIR resources are kept apart by lab id.
/// </summary>
internal sealed class PipelineHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    /// <param name="stack">The local stack.</param>
    /// <param name="overrides">Settings in place of the defaults, e.g. a FHIR URL on a closed port.</param>
    /// <param name="configureServices">More services, as Program.cs adds them (e.g. OpenTelemetry).</param>
    /// <param name="sharedWith">Another host whose queue and ledger this one uses (the same app after a setting changed).</param>
    public PipelineHost(
        LocalStack stack,
        IReadOnlyDictionary<string, string?>? overrides = null,
        Action<IServiceCollection, IConfiguration>? configureServices = null,
        PipelineHost? sharedWith = null)
    {
        var suffix = sharedWith?.Suffix ?? Guid.NewGuid().ToString("N")[..12];
        Suffix = suffix;
        CosmosDatabase = sharedWith?.CosmosDatabase ?? DatabaseWhoseIdHasNoSlash(stack, suffix);
        WorkQueueName = "lab-reports-" + suffix;
        NotificationQueueName = "genomic-results-" + suffix;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LabStorage"] = stack.AzuriteConnectionString,
            ["LabStorage:WorkQueueName"] = WorkQueueName,
            ["LabStorage:CreateIfMissing"] = "true",
            ["Notifications:QueueName"] = NotificationQueueName,
            ["Cosmos:Endpoint"] = stack.CosmosEndpoint.ToString(),
            ["Cosmos:EmulatorKey"] = stack.CosmosKey,
            ["Cosmos:Database"] = CosmosDatabase,
            ["Cosmos:CreateIfMissing"] = "true",
            ["Fhir:BaseUrl"] = stack.FhirBaseUrl.ToString(),
            ["Fhir:RetryBaseDelay"] = "00:00:00.050",
        }).AddInMemoryCollection(overrides ?? new Dictionary<string, string?>()).Build();

        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddPrecisionMed(configuration)
            .AddPrecisionMedApi();
        configureServices?.Invoke(services, configuration);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _services.GetRequiredService<IStartupValidator>().Validate();
        Blobs = stack.CreateBlobServiceClient();
        WorkQueue = new QueueClient(stack.AzuriteConnectionString, WorkQueueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        NotificationQueue = new QueueClient(stack.AzuriteConnectionString, NotificationQueueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        Fhir = stack.CreateFhirHttpClient();
    }

    public string WorkQueueName { get; }

    /// <summary>
    /// Creates this host's database on the emulator server, passing over one whose resource id holds a '/': whole-suite
    /// runs saw every ledger query of the host that got the server's 63rd database (resource id gAA/AA==) fail with
    /// NotFound from the SDK's partition-key-range look-up (collection gAA/AIAAAAE=), and each host makes a database.
    /// Real Cosmos DB has no such ids to avoid; the app creates its database itself as before.
    /// </summary>
    private static string DatabaseWhoseIdHasNoSlash(LocalStack stack, string suffix)
    {
        using var client = stack.CreateCosmosClient();
        for (var attempt = 0; ; attempt++)
        {
            var name = attempt == 0 ? "precisionmed-" + suffix : $"precisionmed-{suffix}-{attempt}";
            var created = client.CreateDatabaseIfNotExistsAsync(name).GetAwaiter().GetResult().Resource;
            var resourceId = created.SelfLink.Trim('/')["dbs/".Length..];
            if (!resourceId.Contains('/', StringComparison.Ordinal)) return name;
        }
    }

    /// <summary>This host's own Cosmos database (its ledger).</summary>
    public string CosmosDatabase { get; }

    private string Suffix { get; }

    /// <summary>The local stand-in for the <c>genomic-results</c> topic: GenomicResultAvailable lands here.</summary>
    public string NotificationQueueName { get; }
    public QueueClient NotificationQueue { get; }
    public BlobServiceClient Blobs { get; }
    public QueueClient WorkQueue { get; }
    public HttpClient Fhir { get; }
    public IServiceProvider Services => _services;
    public ILabFileLedger Ledger => _services.GetRequiredService<ILabFileLedger>();

    public T Function<T>() => ActivatorUtilities.CreateInstance<T>(_services);

    public TestFunctionContext Context(string functionName, CancellationToken cancellationToken = default) => new(_services, functionName, cancellationToken);

    /// <summary>Uploads a file to <c>incoming/{labId}/{name}</c> as a lab would.</summary>
    public async Task UploadAsync(string labId, string name, byte[] content, CancellationToken cancellationToken)
    {
        var container = Blobs.GetBlobContainerClient(LabFileAreas.Incoming);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await container.GetBlobClient($"{labId}/{name}").UploadAsync(BinaryData.FromBytes(content), overwrite: true, cancellationToken);
    }

    /// <summary>Invokes LabFileArrivedFunction the way the host does: the blob's stream plus the path's bindings.</summary>
    public async Task ArriveAsync(string labId, string name, CancellationToken cancellationToken)
    {
        var blob = Blobs.GetBlobContainerClient(LabFileAreas.Incoming).GetBlobClient($"{labId}/{name}");
        await using var stream = await blob.OpenReadAsync(cancellationToken: cancellationToken);
        await Function<LabFileArrivedFunction>().RunAsync(stream, labId, name, Context(nameof(LabFileArrivedFunction), cancellationToken), cancellationToken);
    }

    /// <summary>Drains the work queue through ReportQueuedFunction, as the host would; returns the messages processed.</summary>
    public async Task<IReadOnlyList<string>> DrainWorkQueueAsync(CancellationToken cancellationToken)
    {
        var processed = new List<string>();
        var function = Function<ReportQueuedFunction>();
        await WorkQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        while (true)
        {
            var messages = (await WorkQueue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1), cancellationToken)).Value;
            if (messages.Length == 0) return processed;
            foreach (var message in messages)
            {
                await function.RunAsync(message.MessageText, cancellationToken);
                await WorkQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                processed.Add(message.MessageText);
            }
        }
    }

    public async Task<bool> ExistsAsync(string area, string path, CancellationToken cancellationToken) =>
        (await Blobs.GetBlobContainerClient(area).GetBlobClient(path).ExistsAsync(cancellationToken)).Value;

    public async Task<byte[]> ReadBlobAsync(string area, string path, CancellationToken cancellationToken) =>
        (await Blobs.GetBlobContainerClient(area).GetBlobClient(path).DownloadContentAsync(cancellationToken)).Value.Content.ToArray();

    public async ValueTask DisposeAsync()
    {
        Fhir.Dispose();
        await _services.DisposeAsync();
    }
}
