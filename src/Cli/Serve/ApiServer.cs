using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PrecisionMed.Adapters;
using PrecisionMed.Api;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Cli.Ledger;

namespace PrecisionMed.Cli.Serve;

/// <summary>
/// Kestrel on loopback as the second host of the app's endpoints (<see cref="IApiEndpoint"/>): each is mapped at
/// <c>/api/{route}</c> for its methods; the request is copied into an <see cref="ApiRequest"/> and the answer written
/// back, as the Functions triggers do. Nothing of a request is logged (bodies and queries can carry PHI). A service that
/// fails an endpoint (<see cref="ServiceFailure"/>) is answered 503 naming it, and logged with its URL.
/// </summary>
internal sealed class ApiServer(
    LedgerConnection connection, IReadOnlyList<ServiceEndpoint> serviceEndpoints, int port, TextWriter stdout, TextWriter stderr)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var services = connection.BuildServices(first: s => s.AddPrecisionMedApi());
        if (AppServices.SettingsProblem(services) is { } problem)
        {
            await stderr.WriteLineAsync($"{PmedCommandLine.Name}: {problem}");
            return ExitCodes.Usage;
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = PmedCommandLine.Name, Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        await using var app = builder.Build();
        foreach (var endpoint in services.GetServices<IApiEndpoint>())
            app.MapMethods("/api/" + endpoint.Route, endpoint.Methods, (HttpContext context) => HandleAsync(endpoint, context));
        app.MapFallback((HttpContext context) => WriteAsync(context, ApiResponse.Error(
            HttpStatusCode.NotFound, "No endpoint answers this method and path; GET /api/health lists none but proves the server is up.")));

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ListenProblem(ex) is { } listenProblem)
        {
            await stderr.WriteLineAsync($"{PmedCommandLine.Name} serve: port {port} on {IPAddress.Loopback} {listenProblem}");
            return ExitCodes.Usage;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        await stdout.WriteLineAsync($"{PmedCommandLine.Name} serve: listening on {address}/api/ (Ctrl+C to stop)");
        await stdout.FlushAsync(cancellationToken);
        await app.WaitForShutdownAsync(cancellationToken);
        return ExitCodes.Ok;
    }

    private async Task HandleAsync(IApiEndpoint endpoint, HttpContext context)
    {
        ApiResponse answer;
        try
        {
            answer = await endpoint.HandleAsync(await ToApiRequestAsync(context), context.RequestAborted);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested && ServiceFailure.Of(ex) is { } failure)
        {
            // Service, URL (scheme, host, path) and status or network error: no key, nothing of the request.
            await stderr.WriteLineAsync($"{PmedCommandLine.Name} serve: {endpoint.Name}: {CommandFailure.Of(ex, serviceEndpoints).Message} (answered 503)");
            answer = ApiResponse.ServiceUnavailable(CommandFailure.EndpointOf(failure, ex, serviceEndpoints)?.Service ?? failure.Service, failure.Problem);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            // The type only: a message may quote what the request carried.
            await stderr.WriteLineAsync($"{PmedCommandLine.Name} serve: {endpoint.Name} failed: {ex.GetType().Name}");
            answer = ApiResponse.Error(HttpStatusCode.InternalServerError, $"{endpoint.Name} failed ({ex.GetType().Name}); see the server's output.");
        }

        await WriteAsync(context, answer);
    }

    /// <summary>Why Kestrel could not listen on the port, when it is the port's fault (taken, or not this user's to open); else null.</summary>
    private static string? ListenProblem(Exception exception) =>
        ServiceFailure.Chain(exception).Select(e => e switch
        {
            AddressInUseException or SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } =>
                "is already in use; choose another with --port (0 takes any free one).",
            SocketException { SocketErrorCode: SocketError.AccessDenied } =>
                "may not be opened by this user (ports below 1024 need privileges); choose another with --port.",
            _ => null,
        }).FirstOrDefault(problem => problem is not null);

    private static async Task<ApiRequest> ToApiRequestAsync(HttpContext context)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        var routeValues = request.RouteValues.Where(v => v.Value is not null)
            .ToDictionary(v => v.Key, v => Convert.ToString(v.Value, System.Globalization.CultureInfo.InvariantCulture)!, StringComparer.Ordinal);
        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.Where(v => v is not null).Select(v => v!).ToArray(), StringComparer.Ordinal);
        var headers = request.Headers.ToDictionary(
            h => h.Key, h => h.Value.Where(v => v is not null).Select(v => v!).ToArray(), StringComparer.OrdinalIgnoreCase);
        return new ApiRequest(request.Method.ToUpperInvariant(), routeValues, query, headers, body.ToArray(), context.TraceIdentifier)
        {
            Url = new Uri($"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}"),
        };
    }

    private static async Task WriteAsync(HttpContext context, ApiResponse answer)
    {
        context.Response.StatusCode = (int)answer.Status;
        context.Response.ContentType = answer.ContentType;
        foreach (var (name, value) in answer.Headers) context.Response.Headers[name] = value;
        await context.Response.Body.WriteAsync(answer.Body, context.RequestAborted);
    }
}
