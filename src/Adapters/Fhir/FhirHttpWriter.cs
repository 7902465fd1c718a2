using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Adapters.Fhir;

/// <summary>
/// Posts transaction bundles to a FHIR R4 server and reads resources back. Retries, throttling, the circuit
/// breaker and timeouts are the resilience pipeline's (<see cref="FhirResilience"/>); what is left when they run
/// out becomes <see cref="FhirTransientException"/> (the queue redelivers), a refusal of the content
/// <see cref="FhirRejectedException"/> (the unit is rejected with the OperationOutcome).
/// </summary>
internal sealed class FhirHttpWriter(HttpClient http) : IFhirWriter
{
    private static readonly MediaTypeHeaderValue FhirJson = new("application/fhir+json") { CharSet = "utf-8" };

    public async Task<FhirWriteResult> WriteTransactionAsync(ReadOnlyMemory<byte> bundle, CancellationToken cancellationToken)
    {
        // The builder's UTF-8 as it is (a bundle of a large VCF report is megabytes: no copy or string of it on the way).
        using var content = new ReadOnlyMemoryContent(bundle);
        content.Headers.ContentType = FhirJson;
        using var request = new HttpRequestMessage(HttpMethod.Post, string.Empty) { Content = content };
        var body = await SendAsync(request, notFoundIsNull: false, cancellationToken);
        return new FhirWriteResult(Locations(TransactionResponse(body!)));
    }

    public async Task<JsonObject?> ReadAsync(string reference, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        using var request = new HttpRequestMessage(HttpMethod.Get, reference);
        var body = await SendAsync(request, notFoundIsNull: true, cancellationToken);
        return body is null ? null : JsonNode.Parse(body) as JsonObject;
    }

    public async Task<IReadOnlyList<JsonObject>> FindPatientsAsync(string system, string value, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        // The same search a conditional create by this identifier runs; a person has few Patients, so one page holds them.
        var query = $"Patient?identifier={Uri.EscapeDataString(system)}|{Uri.EscapeDataString(value)}&_count=50";
        using var request = new HttpRequestMessage(HttpMethod.Get, query);
        var body = await SendAsync(request, notFoundIsNull: false, cancellationToken);
        var patients = new List<JsonObject>();
        foreach (var entry in JsonNode.Parse(body!)?["entry"] as JsonArray ?? [])
        {
            if (entry?["resource"] is JsonObject { } resource && (string?)resource["resourceType"] == "Patient"
                && (string?)entry["search"]?["mode"] is null or "match")
                patients.Add(resource);
        }

        return patients;
    }

    /// <summary>The body of a successful answer (null for 404/410 when asked); the typed exceptions otherwise.</summary>
    private async Task<string?> SendAsync(HttpRequestMessage request, bool notFoundIsNull, CancellationToken cancellationToken)
    {
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or RateLimiterRejectedException
                                   || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new FhirTransientException("The FHIR service could not be reached after retries.", ex);
        }

        using (response)
        {
            if (notFoundIsNull && response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone) return null;
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode) return body;

            var status = (int)response.StatusCode;
            if (IsTransient(response.StatusCode))
                throw new FhirTransientException($"The FHIR service answered HTTP {status} after retries.", statusCode: status);
            throw new FhirRejectedException(status, OutcomeSummary(body, withDiagnostics: false), OutcomeSummary(body, withDiagnostics: true));
        }
    }

    /// <summary>
    /// A failure of the service rather than of the content: the queue may redeliver. Wider than what the pipeline
    /// retries at once (<see cref="FhirResilience.IsRetryable"/>): a 501 is not retried in a loop, but it is no
    /// reason to reject the lab's report either; after the queue's attempts the unit is Failed, kept for replay.
    /// </summary>
    internal static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    /// <summary>
    /// The answer to a transaction, which a FHIR server gives as a <c>transaction-response</c> Bundle. Anything else (a
    /// search Bundle, an HTML page: a URL that is not the FHIR service's base) is the service's failure, not a write:
    /// nothing of the unit is taken as written and it is tried again.
    /// </summary>
    private static JsonObject TransactionResponse(string body)
    {
        JsonNode? answer;
        try
        {
            answer = JsonNode.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new FhirTransientException("The FHIR service answered a transaction with something that is not JSON: nothing was taken as written.", ex);
        }

        if (answer is JsonObject bundle && StringOf(bundle["resourceType"]) == "Bundle" && StringOf(bundle["type"]) == "transaction-response") return bundle;
        throw new FhirTransientException("The FHIR service answered a transaction with something that is not a transaction-response Bundle: nothing was taken as written.");
    }

    private static string? StringOf(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static List<string> Locations(JsonObject response)
    {
        var locations = new List<string>();
        if (response["entry"] is not JsonArray entries) return locations;
        foreach (var entry in entries)
        {
            if (StringOf(entry?["response"]?["location"]) is { } location) locations.Add(location);
        }

        return locations;
    }

    /// <summary>
    /// The OperationOutcome's issues, one after another: severity, code, location and, when asked,
    /// the diagnostics text (which can quote the resource, so it is kept out of the ledger).
    /// </summary>
    private static string OutcomeSummary(string body, bool withDiagnostics)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject { } outcome && outcome["issue"] is JsonArray issues)
            {
                return string.Join("; ", issues.OfType<JsonObject>().Select(issue =>
                {
                    var where = issue["expression"]?[0]?.GetValue<string>() ?? issue["location"]?[0]?.GetValue<string>();
                    var text = !withDiagnostics ? null : issue["diagnostics"]?.GetValue<string>() ?? issue["details"]?["text"]?.GetValue<string>();
                    return $"{issue["severity"]?.GetValue<string>()} {issue["code"]?.GetValue<string>()}"
                           + (where is null ? string.Empty : $" at {where}") + (text is null ? string.Empty : $": {text}");
                }));
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through to the raw text, cut short.
        }

        return !withDiagnostics ? "(no OperationOutcome)" : body.Length > 500 ? body[..500] : body;
    }
}
