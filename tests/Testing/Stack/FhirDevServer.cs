namespace PrecisionMed.Testing.Stack;

/// <summary>
/// A FHIR dev server process of one test's own (not the shared stack's), run with <c>--snapshot</c>: it can be
/// stopped as a service is (SIGTERM; it writes its resources to the snapshot file and exits) and started again on
/// the same port, where it loads them back. Its first start listens on port 0 (the system's pick, read from its
/// output); later starts ask for the port that one reported. So a test can take the real server process down mid-run without
/// losing what it had stored, as a durable FHIR service would not.
/// </summary>
public sealed class FhirDevServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly string _devFolder;
    private readonly string? _nodePath;
    private readonly string _snapshotFolder;
    private int _port;
    private NodeService? _process;

    private readonly IReadOnlyList<string> _options;

    private FhirDevServer(string devFolder, string? nodePath, IReadOnlyList<string> options)
    {
        _devFolder = devFolder;
        _nodePath = nodePath;
        _options = options;
        _snapshotFolder = Directory.CreateTempSubdirectory("pmed-fhir-snapshot-").FullName;
    }

    /// <summary><c>http://127.0.0.1:PORT/</c>, the same across restarts.</summary>
    public Uri BaseUrl => LocalStack.LoopbackUri(_port, "/");

    /// <summary>The last start's time from spawn to the first good answer of <c>/metadata</c>.</summary>
    public TimeSpan Ready => _process?.Ready ?? TimeSpan.Zero;

    public bool IsUp => _process is not null;

    public static Task<FhirDevServer> StartAsync(CancellationToken cancellationToken) => StartAsync([], cancellationToken);

    /// <param name="options">More of the server's options, e.g. its test-only <c>--race-conditional-creates 2</c>.</param>
    /// <param name="cancellationToken">Stops waiting for the start.</param>
    public static async Task<FhirDevServer> StartAsync(IReadOnlyList<string> options, CancellationToken cancellationToken)
    {
        var server = new FhirDevServer(LocalStack.FindDevFolder(), LocalStack.FindOnPath("node"), options);
        try
        {
            await server.StartAgainAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops the process with SIGTERM: requests in flight lose their connection (a transaction already taken
    /// commits first), new connections are refused; returns once it wrote its snapshot and exited (code 0).
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var process = Interlocked.Exchange(ref _process, null);
        if (process is null) return;
        await using (process)
        {
            var exitCode = await process.TerminateAsync(StopTimeout, cancellationToken);
            if (exitCode != 0) throw new InvalidOperationException($"The FHIR dev server exited with code {exitCode} on SIGTERM: its snapshot may be lost.");
        }
    }

    /// <summary>Starts the process on its port, loading the snapshot the last stop wrote; returns once it answers.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken)
    {
        if (_process is not null) return;
        using var probeClient = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var launch = LocalStack.FhirLaunch(_devFolder, _port, Path.Combine(_snapshotFolder, "snapshot.json"), _options);
        _process = await NodeService.StartAsync(launch, _nodePath, _devFolder, probeClient, StartTimeout, cancellationToken);
        _port = _process.Ports[0];
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _process, null) is { } process) await process.DisposeAsync();
        Directory.Delete(_snapshotFolder, recursive: true);
    }
}
