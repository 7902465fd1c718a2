using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Azure;
using Azure.Identity;
using Microsoft.Azure.Cosmos;
using Polly.CircuitBreaker;
using Polly.Timeout;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Adapters;

/// <summary>
/// An exception read as a failure of one of the app's services (Cosmos DB, Storage, the FHIR server): which one, when the
/// exception says, and what went wrong (the HTTP status, the network error, a timeout), for both hosts of the app and
/// for <c>pmed</c>'s commands. The problem carries statuses and error codes only, never a message an SDK quoted.
/// </summary>
/// <param name="Service">The service that failed (<see cref="Cosmos"/>, <see cref="Storage"/>, <see cref="Fhir"/>), or null when the exception does not say.</param>
/// <param name="Problem">What failed: <c>connection refused</c>, <c>HTTP 403 (Forbidden)</c>, <c>timed out</c>.</param>
public sealed partial record ServiceFailure(string? Service, string Problem)
{
    public const string Fhir = "FHIR server";
    public const string Cosmos = "Cosmos DB";
    public const string Storage = "Storage";

    /// <summary>The problem when the identity could not sign in (the app's managed identity, or a developer's credentials).</summary>
    public const string SignInFailed = "sign-in failed";

    /// <summary>What <paramref name="exception"/> says about a service, or null when it is not about one.</summary>
    public static ServiceFailure? Of(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var chain = Chain(exception).ToList();
        return ServiceProblem(chain) is { } problem ? new(ServiceName(chain), problem) : null;
    }

    /// <summary>The exception and every inner one, an aggregate's each, breadth first.</summary>
    public static IEnumerable<Exception> Chain(Exception exception)
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

    /// <summary>The reason a service failed, or null when the exception is not about a service.</summary>
    private static string? ServiceProblem(List<Exception> chain)
    {
        foreach (var exception in chain)
        {
            switch (exception)
            {
                case AuthenticationFailedException:
                    return SignInFailed;
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

    private static string Http(int status, string what) => $"HTTP {status} ({what})";

    private static bool IsConnectionStatus(HttpStatusCode status) => status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.RequestTimeout;

    private static bool IsTimeout(Exception exception) => exception is TimeoutException or TimeoutRejectedException or TaskCanceledException;

    private static bool IsJsonReading(Exception exception) => exception is System.Text.Json.JsonException or Newtonsoft.Json.JsonException;

    private static bool IsNetworkError(Exception exception) => exception is HttpRequestException or HttpIOException or SocketException;

    private static string? ServiceName(List<Exception> chain)
    {
        if (chain.Any(e => e is FhirTransientException or FhirRejectedException)) return Fhir;
        if (chain.Any(e => e is CosmosException || Thrown(e, "Microsoft.Azure.Cosmos"))) return Cosmos;
        if (chain.Any(e => e is RequestFailedException || Thrown(e, "Azure.Storage"))) return Storage;
        return null;
    }

    private static bool Thrown(Exception exception, string ns) => exception.StackTrace?.Contains(" " + ns + ".", StringComparison.Ordinal) == true;

    [GeneratedRegex(@"HTTP (\d{3})")]
    private static partial Regex FhirStatus();
}
