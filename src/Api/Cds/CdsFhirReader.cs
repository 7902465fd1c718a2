using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Core.Cds;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Api.Cds;

/// <summary>
/// A resource a CDS call needs and did not send: from the EHR's <c>fhirServer</c> with the <c>fhirAuthorization</c> token
/// it sent (that token is used for that server only, never stored or logged), else from this app's FHIR service with
/// the app's identity (<see cref="IFhirWriter"/>). Neither reachable: <see cref="CdsFetchException"/> (answered 412).
/// </summary>
internal sealed class CdsFhirReader(IServiceProvider services, HttpClient http) : ICdsFhirReader
{
    public async Task<JsonObject?> ReadAsync(CdsHookRequest request, string reference, CancellationToken cancellationToken)
    {
        if (reference.Split('/') is not [{ Length: > 0 } type, { Length: > 0 } id] || reference.Contains("..", StringComparison.Ordinal) || reference.Contains('?', StringComparison.Ordinal))
            throw new CdsFetchException($"the reference is not Type/id, so it cannot be fetched");
        if (request.FhirServer is { } server && request.FhirAuthorization is { } token)
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, new Uri(server.ToString().TrimEnd('/') + $"/{Uri.EscapeDataString(type)}/{Uri.EscapeDataString(id)}"));
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
            try
            {
                using var response = await http.SendAsync(message, cancellationToken);
                if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone) return null;
                if (!response.IsSuccessStatusCode) throw new CdsFetchException($"the EHR's FHIR server answered {(int)response.StatusCode} for a {type} the call did not prefetch");
                return JsonNode.Parse(await response.Content.ReadAsStreamAsync(cancellationToken)) as JsonObject;
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new CdsFetchException($"the EHR's FHIR server could not be read for a {type} the call did not prefetch", ex);
            }
        }

        IFhirWriter? fhir;
        try
        {
            fhir = services.GetService<IFhirWriter>();
        }
        catch (InvalidOperationException)
        {
            fhir = null; // the host has no FHIR service configured (Fhir__BaseUrl unset)
        }

        if (fhir is null) throw new CdsFetchException($"a {type} the call did not prefetch cannot be fetched: no fhirServer and fhirAuthorization, and no FHIR service configured");
        try
        {
            return await fhir.ReadAsync($"{type}/{id}", cancellationToken);
        }
        catch (Exception ex) when (ex is FhirTransientException or FhirRejectedException or InvalidOperationException or HttpRequestException)
        {
            throw new CdsFetchException($"a {type} the call did not prefetch could not be read from the app's FHIR service", ex);
        }
    }
}
