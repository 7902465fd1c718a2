using System.Text.Json.Nodes;

namespace PrecisionMed.Core.Cds;

/// <summary>
/// Reads a resource a call needs and did not send (a draft order's Medication): from the EHR's <c>fhirServer</c> with its
/// <c>fhirAuthorization</c> token when sent, else from this app's FHIR service with the app's identity. Null when the
/// server has no such resource; <see cref="CdsFetchException"/> when it cannot be asked.
/// </summary>
public interface ICdsFhirReader
{
    Task<JsonObject?> ReadAsync(CdsHookRequest request, string reference, CancellationToken cancellationToken);

    /// <summary>
    /// Every match of a search (<c>Type?params</c>) on the same server, following its <c>next</c> links (a bounded number
    /// of pages); null when there is no FHIR server to ask (neither the EHR's with a token nor the app's own).
    /// </summary>
    Task<IReadOnlyList<JsonObject>?> SearchAsync(CdsHookRequest request, string query, CancellationToken cancellationToken);
}

/// <summary>Data the service needs could not be fetched (no FHIR server, refused, unavailable): answered 412.</summary>
public sealed class CdsFetchException(string message, Exception? inner = null) : Exception(message, inner);
