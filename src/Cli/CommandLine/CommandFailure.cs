using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Azure.Identity;
using Microsoft.Azure.Cosmos;
using Polly.CircuitBreaker;
using Polly.Timeout;
using PrecisionMed.Core.Formats;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Cli.CommandLine;

/// <summary>
/// What an exception that escaped a command means to the person who typed it: one line naming what failed (the
/// service, its URL without query, the HTTP status or the network error) and the exit code. Messages carry ids,
/// statuses and URLs only, never file content.
/// </summary>
internal sealed partial record CommandFailure(int ExitCode, string Message)
{
    public static CommandFailure Of(Exception exception, IReadOnlyList<ServiceEndpoint> endpoints)
    {
        var chain = Chain(exception).ToList();
        if (ServiceProblem(chain) is { } problem)
        {
            var endpoint = Endpoint(chain, endpoints);
            var where = endpoint is null ? ServiceName(chain) ?? "a service" : $"{endpoint.Service} at {endpoint.SafeUrl}";
            return new(ExitCodes.ServiceFailed, $"{where}: {problem}");
        }

        return chain[0] switch
        {
            JsonException json => new(ExitCodes.Rejected, $"not valid JSON at {JsonErrors.Position(json)}: {JsonErrors.Reason(json)}"),
            FormatException or InvalidDataException or UnauthorizedAccessException => new(ExitCodes.Rejected, chain[0].Message),
            IOException io when !IsAssemblyLoad(io) => new(ExitCodes.Rejected, io.Message),
            _ => new(ExitCodes.Unexpected, $"unexpected {chain[0].GetType().Name}: {chain[0].Message} (--verbose shows where)"),
        };
    }

    /// <summary>The reason a service failed, or null when the exception is not about a service.</summary>
    private static string? ServiceProblem(List<Exception> chain)
    {
        foreach (var exception in chain)
        {
            switch (exception)
            {
                case AuthenticationFailedException:
                    return "sign-in failed (sign in with `az login`; for a local emulator give its key)";
                case CosmosException { StatusCode: var status } when !IsConnectionStatus(status) || !chain.Any(IsNetworkError):
                    return Http((int)status, status.ToString());
                case RequestFailedException { Status: > 0 } failed:
                    return Http(failed.Status, failed.ErrorCode ?? ((HttpStatusCode)failed.Status).ToString());
                case FhirTransientException transient when !chain.Any(e => IsNetworkError(e) || IsTimeout(e) || e is BrokenCircuitException):
                    return FhirStatus().Match(transient.Message) is { Success: true } match ? $"HTTP {match.Groups[1].Value} after retries" : "no answer after retries";
                case FhirRejectedException rejected:
                    return Http(rejected.StatusCode, "rejected");
                case HttpRequestException { StatusCode: { } status }:
                    return Http((int)status, status.ToString());
                case HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError }:
                    return "host name not found";
                case HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError }:
                    return "TLS handshake failed";
                case SocketException socket:
                    return socket.SocketErrorCode switch
                    {
                        SocketError.ConnectionRefused => "connection refused",
                        SocketError.HostNotFound or SocketError.NoData => "host name not found",
                        SocketError.TimedOut => "timed out",
                        var other => $"network error ({other})",
                    };
                case var timeout when IsTimeout(timeout):
                    return "timed out";
                case BrokenCircuitException:
                    return "failing repeatedly (circuit open)";
                case var unreadable when IsJsonReading(unreadable) && ServiceName(chain) is not null:
                    // The SDK could not read the answer: something else (a web server, a proxy's page) answers at that URL.
                    return "unexpected answer (not the service's JSON; is the URL the service's endpoint?)";
                default:
                    continue;
            }
        }

        return chain.Any(IsNetworkError) ? "connection failed" : null;
    }

    /// <summary>A missing or broken assembly of pmed itself (an installation problem), not a file the user named.</summary>
    private static bool IsAssemblyLoad(IOException exception) =>
        exception is FileLoadException || (exception is FileNotFoundException && exception.Message.StartsWith("Could not load file or assembly", StringComparison.Ordinal));

    private static string Http(int status, string what) => $"HTTP {status} ({what})";

    private static bool IsConnectionStatus(HttpStatusCode status) => status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.RequestTimeout;

    private static bool IsTimeout(Exception exception) => exception is TimeoutException or TimeoutRejectedException or TaskCanceledException;

    private static bool IsJsonReading(Exception exception) => exception is JsonException or Newtonsoft.Json.JsonException;

    private static bool IsNetworkError(Exception exception) => exception is HttpRequestException or HttpIOException or SocketException;

    /// <summary>The endpoint the failure is about: by the service that threw, else by the host and port in the message, else the only one.</summary>
    private static ServiceEndpoint? Endpoint(List<Exception> chain, IReadOnlyList<ServiceEndpoint> endpoints)
    {
        var byService = ServiceName(chain) is { } service ? endpoints.Where(e => e.Service == service).ToList() : [.. endpoints];
        if (byService.Count == 1) return byService[0];
        var candidates = byService.Count > 0 ? byService : [.. endpoints];
        var text = string.Join(' ', chain.Select(e => e.Message));
        return candidates.FirstOrDefault(e => text.Contains($"{e.Url.Host}:{e.Url.Port}", StringComparison.OrdinalIgnoreCase))
               ?? (candidates.Count == 1 ? candidates[0] : null);
    }

    private static string? ServiceName(List<Exception> chain)
    {
        if (chain.Any(e => e is FhirTransientException or FhirRejectedException)) return ServiceEndpoint.Fhir;
        if (chain.Any(e => e is CosmosException || Thrown(e, "Microsoft.Azure.Cosmos"))) return ServiceEndpoint.Cosmos;
        if (chain.Any(e => e is RequestFailedException || Thrown(e, "Azure.Storage"))) return ServiceEndpoint.Storage;
        return null;
    }

    private static bool Thrown(Exception exception, string ns) => exception.StackTrace?.Contains(" " + ns + ".", StringComparison.Ordinal) == true;

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Queue<Exception>([exception]);
        while (pending.TryDequeue(out var next))
        {
            yield return next;
            if (next is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions) pending.Enqueue(inner);
            else if (next.InnerException is { } innerException) pending.Enqueue(innerException);
        }
    }

    [GeneratedRegex(@"HTTP (\d{3})")]
    private static partial Regex FhirStatus();
}
