using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
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
/// fails an endpoint (<see cref="ServiceFailure"/>) is answered 503 naming it, and logged with its URL; another method on
/// an endpoint's route 405 with <c>Allow</c>; a body past <see cref="ApiRequest.MaxBodyBytes"/> 413, a compressed one 415. Browsers of the origins
/// given get CORS answers (<see cref="CorsOrigins"/>). A request line or headers past <see cref="RequestLimits"/>, and a
/// body Kestrel cannot read as HTTP, are answered with the same JSON error.
/// </summary>
internal sealed class ApiServer(
    LedgerConnection connection, IReadOnlyList<ServiceEndpoint> serviceEndpoints, int port, TextWriter stdout, TextWriter stderr, CorsOrigins? cors = null)
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
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            RequestLimits.RaiseKestrelLimits(kestrel.Limits);
        });
        await using var app = builder.Build();
        if (cors is { Any: true })
        {
            // Before any endpoint: a browser's preflight is an OPTIONS no endpoint takes.
            app.Use(async (context, next) =>
            {
                if (!await cors.AnswerAsync(context, c => WriteAsync(c, ApiResponse.Error(
                        HttpStatusCode.Forbidden, "This origin is not among those pmed serve allows (--cors-origin)."))))
                    await next(context);
            });
        }

        app.Use(async (context, next) =>
        {
            if (RequestLimits.Refusal(context) is { } refusal) await WriteAsync(context, refusal);
            else await next(context);
        });

        var endpoints = services.GetServices<IApiEndpoint>().ToList();
        foreach (var endpoint in endpoints)
            app.MapMethods("/api/" + endpoint.Route, endpoint.Methods, (HttpContext context) => HandleAsync(endpoint, context));
        foreach (var route in endpoints.GroupBy(e => e.Route, StringComparer.Ordinal))
        {
            // Another method on a route that exists: 405 with the methods it takes. After the endpoints (order 1), before the 404.
            var allow = string.Join(", ", route.SelectMany(e => e.Methods).Distinct(StringComparer.Ordinal));
            app.Map("/api/" + route.Key, (HttpContext context) => WriteAsync(context, ApiResponse.Error(
                    HttpStatusCode.MethodNotAllowed, $"This path takes {allow} only.") with { Headers = new Dictionary<string, string> { ["Allow"] = allow } }))
                .WithOrder(1);
        }

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
            answer = await ToApiRequestAsync(context) is not { } request ? ApiResponse.BodyTooLarge()
                : request.BodyEncoded ? ApiResponse.EncodedBody()
                : await endpoint.HandleAsync(request, context.RequestAborted);
        }
        catch (BadHttpRequestException ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            // Kestrel could not read the body as HTTP (a malformed chunk, say): the caller's fault, answered as such.
            answer = ApiResponse.Error((HttpStatusCode)ex.StatusCode, "The request body is not well-formed HTTP (its Content-Length or chunked framing); it was not read.");
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

    /// <summary>The request as the endpoints take it, or null when its body is past <see cref="ApiRequest.MaxBodyBytes"/>.</summary>
    private static async Task<ApiRequest?> ToApiRequestAsync(HttpContext context)
    {
        var request = context.Request;
        // Counted here rather than by Kestrel, which on a body past its limit closes the connection while the client is still
        // writing: the client reads a broken pipe instead of the 413. Unlimited for Kestrel, it drains what is left once the
        // 413 is written (for at most its drain timeout), and the client reads the answer.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
        if (await ApiRequest.ReadBodyAsync(request.Body, request.ContentLength, context.RequestAborted) is not { } body) return null;

        var routeValues = request.RouteValues.Where(v => v.Value is not null)
            .ToDictionary(v => v.Key, v => Convert.ToString(v.Value, System.Globalization.CultureInfo.InvariantCulture)!, StringComparer.Ordinal);
        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.Where(v => v is not null).Select(v => v!).ToArray(), StringComparer.Ordinal);
        var headers = request.Headers.ToDictionary(
            h => h.Key, h => h.Value.Where(v => v is not null).Select(v => v!).ToArray(), StringComparer.OrdinalIgnoreCase);
        // No URL when the request named no usable host (HTTP/1.0 may send no Host header): endpoints that need one then refuse.
        return new ApiRequest(request.Method.ToUpperInvariant(), routeValues, query, headers, body, context.TraceIdentifier)
        {
            Url = Uri.TryCreate($"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}", UriKind.Absolute, out var url) ? url : null,
        };
    }

    private static async Task WriteAsync(HttpContext context, ApiResponse answer)
    {
        context.Response.StatusCode = (int)answer.Status;
        context.Response.ContentType = answer.ContentType;
        foreach (var (name, value) in answer.Headers) context.Response.Headers[name] = value;
        // HEAD: GET's status and headers, its length included, and no body (RFC 9110 9.3.2).
        context.Response.ContentLength = answer.Body.Length;
        if (!HttpMethods.IsHead(context.Request.Method)) await context.Response.Body.WriteAsync(answer.Body, context.RequestAborted);
    }
}
