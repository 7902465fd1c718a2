using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PrecisionMed.Cli.Tests.Validate;

/// <summary>
/// A stand-in npm registry on loopback (Kestrel, port 0): serves the tarballs it is given at their registry
/// paths, answers 404 for anything else, and counts requests.
/// </summary>
internal sealed class LoopbackNpmRegistry : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, byte[]> _tarballs = new(StringComparer.Ordinal);
    private readonly WebApplication _app;
    private int _requests;

    private LoopbackNpmRegistry(WebApplication app) => _app = app;

    public Uri Url => new(_app.Urls.First() + "/");

    public int Requests => Volatile.Read(ref _requests);

    public static async Task<LoopbackNpmRegistry> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var registry = new LoopbackNpmRegistry(app);
        app.Run(registry.HandleAsync);
        await app.StartAsync(cancellationToken);
        return registry;
    }

    /// <summary>Serves <paramref name="tarball"/> at <paramref name="url"/>'s path.</summary>
    public void Serve(Uri url, byte[] tarball) => _tarballs[url.AbsolutePath] = tarball;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        if (!_tarballs.TryGetValue(context.Request.Path.Value ?? string.Empty, out var tarball))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        await context.Response.Body.WriteAsync(tarball, context.RequestAborted);
    }
}
