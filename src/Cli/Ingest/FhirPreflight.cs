using System.Net.Http.Headers;
using PrecisionMed.Cli.CommandLine;

namespace PrecisionMed.Cli.Ingest;

/// <summary>
/// <c>pmed ingest --fhir</c>'s look before the first write: one GET of the server's capability statement
/// (<c>[base]/metadata</c>), so that a server that is not there (connection refused, host not found, no connection
/// within <see cref="ConnectTimeout"/>, TLS refused) stops the run at once with one line, instead of after the
/// writer's retries, which are for a server that fails for a moment. Any answer, whatever its status, or a slow one,
/// means something is listening: the run goes on and the writer deals with what the server says.
/// </summary>
internal static class FhirPreflight
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long an answer is waited for once connected; longer than <see cref="ConnectTimeout"/>, so that a connection that does not come is told apart.</summary>
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Null when something answers at <paramref name="baseUrl"/>; else the failure, naming the FHIR server, its URL without query and the network error.</summary>
    public static async Task<CommandFailure?> UnreachableAsync(Uri baseUrl, CancellationToken cancellationToken)
    {
        ServiceEndpoint[] fhir = [new(ServiceEndpoint.Fhir, baseUrl)];
        using var handler = new SocketsHttpHandler { ConnectTimeout = ConnectTimeout };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var answer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        answer.CancelAfter(AnswerTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, MetadataUrl(baseUrl));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, answer.Token);
            return null;
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError)
        {
            return CommandFailure.Of(e, fhir);
        }
        catch (OperationCanceledException) when (!answer.IsCancellationRequested)
        {
            // The connect timeout: nothing took the connection (a host that drops it, a firewall).
            return new CommandFailure(ExitCodes.ServiceFailed, $"{fhir[0].Service} at {fhir[0].SafeUrl}: no connection within {ConnectTimeout.TotalSeconds:0} s");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // connected, slow to answer: the writer's own timeouts apply
        }
    }

    /// <summary><c>[base]/metadata</c>: the base URL's path with a '/' after it (a base may be given without), no query.</summary>
    public static Uri MetadataUrl(Uri baseUrl)
    {
        var path = baseUrl.GetLeftPart(UriPartial.Path);
        return new Uri(new Uri(path.EndsWith('/') ? path : path + "/"), "metadata");
    }
}
