using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PrecisionMed.Testing.Faults;

/// <summary>
/// A reverse proxy on loopback (Kestrel) in front of the FHIR dev server that answers a share of requests
/// with a fault (<see cref="FaultKind"/>), and that can be taken down (connections refused, requests in
/// flight cut) and brought back on the same port. It counts what it did, for the tests' reports.
/// </summary>
public sealed class FaultInjectingProxy : IAsyncDisposable
{
    private static readonly string[] HopByHop = ["Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Host"];

    private readonly Uri _upstream;
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly ConcurrentDictionary<HttpContext, byte> _inFlight = new();
    private readonly Lock _drawLock = new();
    private readonly ConcurrentDictionary<FaultKind, int> _faults = new();
    private readonly ConcurrentDictionary<string, int> _forwardedByMethod = new(StringComparer.Ordinal);
    private FaultPlan _plan;
    private Random _random;
    private WebApplication? _app;
    private int _port;
    private int _requests;
    private int _forwarded;
    private long _upstreamTicks;

    private FaultInjectingProxy(Uri upstream, FaultPlan plan)
    {
        _upstream = upstream;
        _plan = plan;
        _random = new Random(plan.Seed);
    }

    /// <summary>The proxy's base URL, <c>http://127.0.0.1:PORT/</c>: give it to the FHIR writer in place of the server's.</summary>
    public Uri BaseUrl => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{_port}/"));

    /// <summary>Requests that reached the proxy while it was up.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Requests passed on to the server (those dropped after forwarding included).</summary>
    public int Forwarded => Volatile.Read(ref _forwarded);

    /// <summary>Time the server took to answer the forwarded requests, summed: what of a run's time is the server's.</summary>
    public TimeSpan UpstreamTime => TimeSpan.FromTicks(Interlocked.Read(ref _upstreamTicks));

    public int FaultsOf(FaultKind kind) => _faults.GetValueOrDefault(kind);

    /// <summary>Requests of one HTTP method passed on to the server: <c>POST</c> are the writer's transactions.</summary>
    public int ForwardedOf(string method) => _forwardedByMethod.GetValueOrDefault(method);

    public int Faults => _faults.Values.Sum();

    public bool IsUp => _app is not null;

    /// <summary>Replaces the plan (and restarts its draw from its seed).</summary>
    public FaultPlan Plan
    {
        get => _plan;
        set
        {
            lock (_drawLock)
            {
                _plan = value;
                _random = new Random(value.Seed);
            }
        }
    }

    public static async Task<FaultInjectingProxy> StartAsync(Uri upstream, FaultPlan plan, CancellationToken cancellationToken)
    {
        var proxy = new FaultInjectingProxy(upstream, plan);
        await proxy.ListenAsync(port: 0, cancellationToken);
        return proxy;
    }

    /// <summary>
    /// Takes the proxy down as a crashed server goes: requests in flight lose their connection (some after the
    /// server did them), new connections are refused until <see cref="StartAgainAsync"/>.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var app = Interlocked.Exchange(ref _app, null);
        if (app is null) return;
        foreach (var context in _inFlight.Keys) Abort(context);
        using (var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            grace.CancelAfter(TimeSpan.FromSeconds(2));
            await app.StopAsync(grace.Token);
        }

        await app.DisposeAsync();
    }

    /// <summary>Listens again on the port it had, as a restarted server would.</summary>
    public Task StartAgainAsync(CancellationToken cancellationToken) =>
        _app is not null ? Task.CompletedTask : ListenAsync(_port, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _client.Dispose();
    }

    private async Task ListenAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync(cancellationToken);
        _port = new Uri(app.Urls.First()).Port;
        _app = app;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        _inFlight.TryAdd(context, 0);
        try
        {
            if (_plan.RejectWrites && HttpMethods.IsPost(context.Request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
                await WriteOutcomeAsync(context, "processing", "Observation.code: unknown code (refusal injected)", "Bundle.entry[3].resource.code");
                return;
            }

            var fault = Draw();
            if (fault is { } kind) _faults.AddOrUpdate(kind, 1, (_, n) => n + 1);
            switch (fault)
            {
                case FaultKind.Throttled:
                    context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                    context.Response.Headers.RetryAfter = "1";
                    context.Response.Headers["x-ms-retry-after-ms"] = _plan.RetryAfterMs.ToString(CultureInfo.InvariantCulture);
                    await WriteOutcomeAsync(context, "throttled", "Request rate is large (fault injected).");
                    return;
                case FaultKind.Unavailable:
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    await WriteOutcomeAsync(context, "transient", "Service unavailable (fault injected).");
                    return;
                case FaultKind.DroppedBeforeForwarding:
                    context.Abort();
                    return;
            }

            using var request = await UpstreamRequestAsync(context);
            Interlocked.Increment(ref _forwarded);
            _forwardedByMethod.AddOrUpdate(context.Request.Method, 1, (_, n) => n + 1);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, context.RequestAborted);
            Interlocked.Add(ref _upstreamTicks, System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks);
            if (fault == FaultKind.DroppedAfterForwarding)
            {
                context.Abort();
                return;
            }

            await CopyResponseAsync(response, context);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // Cut by StopAsync or by the client: there is nobody left to answer.
        }
        finally
        {
            _inFlight.TryRemove(context, out _);
        }
    }

    /// <summary>Cuts a request's connection, unless it finished meanwhile (Kestrel then disposed its context).</summary>
    private static void Abort(HttpContext context)
    {
        try
        {
            context.Abort();
        }
        catch (ObjectDisposedException)
        {
            // It answered between the snapshot of requests in flight and now.
        }
    }

    private FaultKind? Draw()
    {
        lock (_drawLock)
        {
            if (_random.NextDouble() >= _plan.Share) return null;
            return (FaultKind)_random.Next(4);
        }
    }

    private async Task<HttpRequestMessage> UpstreamRequestAsync(HttpContext context)
    {
        var target = new Uri(_upstream, context.Request.Path.Value!.TrimStart('/') + context.Request.QueryString);
        var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target);
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (buffer.Length > 0 || context.Request.ContentLength is not null) request.Content = new ByteArrayContent(buffer.ToArray());
        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopByHop.Contains(name, StringComparer.OrdinalIgnoreCase)) continue;
            if (!request.Headers.TryAddWithoutValidation(name, values.ToArray()))
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
        }

        return request;
    }

    private static async Task CopyResponseAsync(HttpResponseMessage response, HttpContext context)
    {
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (HopByHop.Contains(name, StringComparer.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            context.Response.Headers[name] = values.ToArray();
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private static Task WriteOutcomeAsync(HttpContext context, string code, string text, string? expression = null)
    {
        context.Response.ContentType = "application/fhir+json";
        var where = expression is null ? string.Empty : $$""","expression":["{{expression}}"]""";
        return context.Response.WriteAsync(
            $$"""{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"{{code}}"{{where}},"diagnostics":"{{text}}"}]}""",
            context.RequestAborted);
    }
}
