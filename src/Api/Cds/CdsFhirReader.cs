using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Core.Cds;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Api.Cds;

/// <summary>
/// A resource a CDS call needs and did not send: from the EHR's <c>fhirServer</c> with the <c>fhirAuthorization</c> token
/// it sent (that token is used for that server only, never stored or logged), else from this app's FHIR service with
/// the app's identity (<see cref="IFhirWriter"/>); likewise a search (the patient's genotypes when the genomic index has
/// none). Neither reachable, or not answering within <paramref name="timeout"/> (<see cref="CdsOptions.FhirTimeout"/>):
/// <see cref="CdsFetchException"/> (answered 412).
/// </summary>
internal sealed class CdsFhirReader(IServiceProvider services, HttpClient http, TimeSpan timeout) : ICdsFhirReader
{
    /// <summary>Pages a search follows at most: a patient's genotypes are a page or two; more is not a point-of-care read.</summary>
    public const int MaxPages = 5;

    public async Task<JsonObject?> ReadAsync(CdsHookRequest request, string reference, CancellationToken cancellationToken)
    {
        if (reference.Split('/') is not [{ Length: > 0 } type, { Length: > 0 } id] || reference.Contains("..", StringComparison.Ordinal) || reference.Contains('?', StringComparison.Ordinal))
            throw new CdsFetchException($"the reference is not Type/id, so it cannot be fetched");
        if (Ehr(request) is { } ehr)
            return await GetFromEhrAsync(ehr, new Uri(ehr.Server.ToString().TrimEnd('/') + $"/{Uri.EscapeDataString(type)}/{Uri.EscapeDataString(id)}"), $"a {type} the call did not prefetch", cancellationToken);
        var fhir = AppFhir() ?? throw new CdsFetchException($"a {type} the call did not prefetch cannot be fetched: no fhirServer and fhirAuthorization, and no FHIR service configured");
        return await FromAppAsync(fhir, $"{type}/{id}", $"a {type} the call did not prefetch", cancellationToken);
    }

    public async Task<IReadOnlyList<JsonObject>?> SearchAsync(CdsHookRequest request, string query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var type = query.Split('?')[0];
        if (type.Length == 0 || !type.All(char.IsAsciiLetter)) throw new CdsFetchException("the search is not Type?parameters");
        var what = $"the patient's {type} resources";
        var ehr = Ehr(request);
        var app = ehr is null ? AppFhir() : null;
        if (ehr is null && app is null) return null;

        var found = new List<JsonObject>();
        string? next = query;
        for (var page = 0; next is not null && page < MaxPages; page++)
        {
            JsonObject? bundle;
            if (ehr is { } server)
            {
                // The EHR's token goes to the EHR's server only: a next link elsewhere (or no URL at all) ends the search.
                if (!Uri.TryCreate(page == 0 ? server.Server.ToString().TrimEnd('/') + "/" + next : next, UriKind.Absolute, out var url)
                    || !url.ToString().StartsWith(server.Server.ToString().TrimEnd('/') + "/", StringComparison.OrdinalIgnoreCase)) break;
                bundle = await GetFromEhrAsync(server, url, what, cancellationToken);
            }
            else
            {
                bundle = await FromAppAsync(app!, next, what, cancellationToken);
            }

            foreach (var entry in bundle?["entry"] as JsonArray ?? [])
            {
                // The matches only: an entry of another type (an OperationOutcome a server adds without search.mode) is none.
                if (Member(entry, "resource") is JsonObject resource && Text(Member(Member(entry, "search"), "mode")) is null or "match"
                    && Text(resource["resourceType"]) == type) found.Add(resource);
            }

            next = (bundle?["link"] as JsonArray ?? []).Where(l => Text(Member(l, "relation")) == "next").Select(l => Text(Member(l, "url"))).FirstOrDefault();
        }

        return found;
    }

    /// <summary>The member of an object; null when the node is none (a server's JSON of another shape).</summary>
    private static JsonNode? Member(JsonNode? node, string name) => node is JsonObject obj ? obj[name] : null;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    private static (Uri Server, CdsFhirAuthorization Token)? Ehr(CdsHookRequest request) =>
        request.FhirServer is { } server && request.FhirAuthorization is { } token ? (server, token) : null;

    private IFhirWriter? AppFhir()
    {
        try
        {
            return services.GetService<IFhirWriter>();
        }
        catch (InvalidOperationException)
        {
            return null; // the host has no FHIR service configured (Fhir__BaseUrl unset)
        }
    }

    private async Task<JsonObject?> GetFromEhrAsync((Uri Server, CdsFhirAuthorization Token) ehr, Uri url, string what, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, url);
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ehr.Token.AccessToken);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        return await WithinTimeoutAsync("the EHR's FHIR server", what, async deadline =>
        {
            try
            {
                using var response = await http.SendAsync(message, deadline);
                if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone) return null;
                if (!response.IsSuccessStatusCode) throw new CdsFetchException($"the EHR's FHIR server answered {(int)response.StatusCode} for {what}");
                return StrictJson.ParseObject(await response.Content.ReadAsByteArrayAsync(deadline), out var problem) ?? throw new CdsFetchException(
                    $"the EHR's FHIR server's answer for {what} {problem}");
            }
            catch (HttpRequestException ex)
            {
                throw new CdsFetchException($"the EHR's FHIR server could not be read for {what}", ex);
            }
        }, cancellationToken);
    }

    private Task<JsonObject?> FromAppAsync(IFhirWriter fhir, string reference, string what, CancellationToken cancellationToken) =>
        WithinTimeoutAsync("the app's FHIR service", what, async deadline =>
        {
            try
            {
                return await fhir.ReadAsync(reference, deadline);
            }
            catch (Exception ex) when (ex is FhirTransientException or FhirRejectedException or InvalidOperationException or HttpRequestException)
            {
                throw new CdsFetchException($"{what} could not be read from the app's FHIR service", ex);
            }
        }, cancellationToken);

    /// <summary>
    /// One read, given <see cref="CdsOptions.FhirTimeout"/>: a server that does not answer in time is a
    /// <see cref="CdsFetchException"/> naming it and the time, unless the call itself was cancelled.
    /// </summary>
    private async Task<JsonObject?> WithinTimeoutAsync(string server, string what, Func<CancellationToken, Task<JsonObject?>> read, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return await read(deadline.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CdsFetchException(
                $"{server} did not answer within {timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} s for {what}", ex);
        }
    }
}
