using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Azure.Cosmos;

namespace PrecisionMed.Testing.Stack;

/// <summary>
/// The real local stack on loopback: Azurite (Blob, Queue, Table), cosmosdb-server and the FHIR dev server,
/// each a node child process run from the repository's dev/ folder. Each listens on port 0, so the system picks a
/// free port as it binds, and tells it on its output; nothing picks a port first for a process to bind later.
/// </summary>
public sealed partial class LocalStack : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account; the key is public, not a secret.</summary>
    public const string AzuriteAccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development account key (public).</summary>
    public const string AzuriteAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>The Cosmos DB emulator's well-known key (public); cosmosdb-server accepts any base64 key.</summary>
    public const string CosmosEmulatorKey =
        "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private const string SolutionFileName = "PrecisionMed.Serverless.sln";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly NodeService _azurite;
    private readonly NodeService _cosmos;
    private readonly NodeService _fhir;

    private LocalStack(NodeService azurite, NodeService cosmos, NodeService fhir)
    {
        _azurite = azurite;
        _cosmos = cosmos;
        _fhir = fhir;
        BlobServiceUri = AzuriteUri(azurite.Ports[0]);
        QueueServiceUri = AzuriteUri(azurite.Ports[1]);
        TableServiceUri = AzuriteUri(azurite.Ports[2]);
        AzuriteConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName={AzuriteAccountName};AccountKey={AzuriteAccountKey};" +
            $"BlobEndpoint={BlobServiceUri};QueueEndpoint={QueueServiceUri};TableEndpoint={TableServiceUri};";
        CosmosEndpoint = LoopbackUri(cosmos.Ports[0], "/");
        FhirBaseUrl = LoopbackUri(fhir.Ports[0], "/");
    }

    /// <summary>Full development-account connection string with this stack's Blob, Queue and Table endpoints.</summary>
    public string AzuriteConnectionString { get; }

    public Uri BlobServiceUri { get; }

    public Uri QueueServiceUri { get; }

    public Uri TableServiceUri { get; }

    /// <summary>cosmosdb-server's plain-http endpoint, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri CosmosEndpoint { get; }

    public string CosmosKey { get; } = CosmosEmulatorKey;

    /// <summary>The FHIR dev server's base URL, ending with <c>/</c>.</summary>
    public Uri FhirBaseUrl { get; }

    public TimeSpan AzuriteReady => _azurite.Ready;

    public TimeSpan CosmosReady => _cosmos.Ready;

    public TimeSpan FhirReady => _fhir.Ready;

    /// <summary>One line with each service's time to readiness, for test output and reports.</summary>
    public string ReadinessSummary => string.Create(
        CultureInfo.InvariantCulture,
        $"Local stack ready: Azurite {AzuriteReady.TotalMilliseconds:F0} ms, cosmosdb-server {CosmosReady.TotalMilliseconds:F0} ms, FHIR dev server {FhirReady.TotalMilliseconds:F0} ms");

    /// <summary>
    /// Starts the three services in parallel and waits until each answers. Throws
    /// <see cref="LocalStackStartException"/> naming every service that could not start.
    /// </summary>
    public static async Task<LocalStack> StartAsync(CancellationToken cancellationToken)
    {
        var devFolder = FindDevFolder();
        var nodePath = FindOnPath("node");
        NodeServiceLaunch[] launches = [AzuriteLaunch(devFolder), CosmosLaunch(devFolder), FhirLaunch(devFolder, port: 0)];

        using var probeClient = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var starts = launches
            .Select(launch => NodeService.StartAsync(launch, nodePath, devFolder, probeClient, StartTimeout, cancellationToken))
            .ToArray();
        try
        {
            await Task.WhenAll(starts);
        }
        catch (Exception) when (starts.Any(start => start.IsFaulted || start.IsCanceled))
        {
            foreach (var started in starts.Where(start => start.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }

            cancellationToken.ThrowIfCancellationRequested();
            var failures = starts
                .Where(start => start.IsFaulted)
                .SelectMany(start => start.Exception!.InnerExceptions)
                .ToList();
            if (failures.Count == 1)
            {
                throw failures[0];
            }

            throw new LocalStackStartException(
                string.Join(Environment.NewLine + Environment.NewLine, failures.Select(failure => failure.Message)));
        }

        return new LocalStack(starts[0].Result, starts[1].Result, starts[2].Result);
    }

    public BlobServiceClient CreateBlobServiceClient() => new(AzuriteConnectionString);

    public QueueServiceClient CreateQueueServiceClient() =>
        new(AzuriteConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });

    /// <summary>
    /// A client for cosmosdb-server. Gateway mode and <see cref="CosmosClientOptions.LimitToEndpoint"/> are
    /// forced onto <paramref name="options"/>; without options the serializer is System.Text.Json with web
    /// defaults (camelCase, so a record's <c>Id</c> is the document's <c>id</c>).
    /// </summary>
    public CosmosClient CreateCosmosClient(CosmosClientOptions? options = null)
    {
        options ??= new CosmosClientOptions
        {
            UseSystemTextJsonSerializerWithOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web),
        };
        options.ConnectionMode = ConnectionMode.Gateway;
        options.LimitToEndpoint = true;
        return new CosmosClient(CosmosEndpoint.ToString(), CosmosKey, options);
    }

    public HttpClient CreateFhirHttpClient() => new() { BaseAddress = FhirBaseUrl };

    /// <summary>Kills each service's whole process tree.</summary>
    public async ValueTask DisposeAsync() =>
        await Task.WhenAll(_azurite.DisposeAsync().AsTask(), _cosmos.DisposeAsync().AsTask(), _fhir.DisposeAsync().AsTask());

    private static Uri AzuriteUri(int port) => LoopbackUri(port, "/" + AzuriteAccountName);

    internal static Uri LoopbackUri(int port, string path) =>
        new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}{path}"));

    private static NodeServiceLaunch AzuriteLaunch(string devFolder)
    {
        var script = Path.Combine(devFolder, "node_modules", "azurite", "dist", "src", "azurite.js");
        string[] arguments =
        [
            script,
            // The current Azure.Storage SDKs send a newer API version than Azurite 3.37 knows.
            "--skipApiVersionCheck",
            "--loose",
            "--inMemoryPersistence",
            "--silent",
            // Otherwise Azurite sends usage telemetry over the network.
            "--disableTelemetry",
            "--blobHost", "127.0.0.1", "--blobPort", "0",
            "--queueHost", "127.0.0.1", "--queuePort", "0",
            "--tableHost", "127.0.0.1", "--tablePort", "0",
        ];

        // Ports in the order Blob, Queue, Table. The three services listen one after another: ready means all three
        // answer (any status).
        return new NodeServiceLaunch(
            "Azurite",
            arguments,
            [script],
            [AzuriteListening("Blob"), AzuriteListening("Queue"), AzuriteListening("Table")],
            ports =>
            [
                LoopbackUri(ports[0], $"/{AzuriteAccountName}?comp=list"),
                LoopbackUri(ports[1], $"/{AzuriteAccountName}?comp=list"),
                LoopbackUri(ports[2], $"/{AzuriteAccountName}/Tables"),
            ],
            ProbeNeedsSuccess: false);
    }

    /// <summary>Azurite 3.x, once a service listens: <c>Azurite Blob service is successfully listening at http://127.0.0.1:PORT</c>.</summary>
    private static Regex AzuriteListening(string service) =>
        new($"^Azurite {service} service is successfully listening at http://127\\.0\\.0\\.1:(?<port>\\d+)", RegexOptions.CultureInvariant);

    private static NodeServiceLaunch CosmosLaunch(string devFolder)
    {
        var script = Path.Combine(devFolder, "node_modules", "@vercel", "cosmosdb-server", "lib", "cli.js");
        string[] arguments = [script, "--host", "127.0.0.1", "-p", "0", "--no-ssl"];
        return new NodeServiceLaunch(
            "cosmosdb-server", arguments, [script], [CosmosListening()], ports => [LoopbackUri(ports[0], "/")], ProbeNeedsSuccess: false);
    }

    /// <summary>cosmosdb-server's cli.js, from its listen callback: <c>Ready to accept HTTP connections at 127.0.0.1:PORT</c>.</summary>
    [GeneratedRegex(@"^Ready to accept HTTP connections at 127\.0\.0\.1:(?<port>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex CosmosListening();

    /// <param name="devFolder">The repository's dev/ folder.</param>
    /// <param name="port">0 for the system's pick; a restart passes the port the first start reported.</param>
    /// <param name="snapshotFile">Passed as <c>--snapshot</c>: the server loads it at start and writes it when stopped.</param>
    /// <param name="options">More of the server's options, passed as given.</param>
    internal static NodeServiceLaunch FhirLaunch(string devFolder, int port, string? snapshotFile = null, IReadOnlyList<string>? options = null)
    {
        var script = Path.Combine(devFolder, "fhir-server.mjs");
        var engine = Path.Combine(devFolder, "node_modules", "@medplum", "fhir-router", "package.json");
        string[] arguments = ["--experimental-websocket", script, "--host", "127.0.0.1", "--port", Invariant(port)];
        if (snapshotFile is not null) arguments = [.. arguments, "--snapshot", snapshotFile];
        if (options is not null) arguments = [.. arguments, .. options];
        return new NodeServiceLaunch(
            "FHIR dev server", arguments, [script, engine], [FhirListening()], ports => [LoopbackUri(ports[0], "/metadata")], ProbeNeedsSuccess: true);
    }

    /// <summary>dev/fhir-server.mjs prints this one line on stdout once it is ready: <c>FHIR dev server listening on http://127.0.0.1:PORT/</c>.</summary>
    [GeneratedRegex(@"^FHIR dev server listening on http://127\.0\.0\.1:(?<port>\d+)/$", RegexOptions.CultureInvariant)]
    private static partial Regex FhirListening();

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string FindDevFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, SolutionFileName)))
            {
                return Path.Combine(folder.FullName, "dev");
            }
        }

        throw new LocalStackStartException(
            $"The local stack did not start: no folder above {AppContext.BaseDirectory} holds {SolutionFileName}, " +
            "so dev/ (with the node services) cannot be found.");
    }

    internal static string? FindOnPath(string program)
    {
        var names = OperatingSystem.IsWindows() ? [program + ".exe", program + ".cmd"] : new[] { program };
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(folder => names.Select(name => Path.Combine(folder, name)))
            .FirstOrDefault(File.Exists);
    }
}
