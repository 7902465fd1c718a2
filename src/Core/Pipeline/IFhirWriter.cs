using System.Text.Json.Nodes;

namespace PrecisionMed.Core.Pipeline;

/// <summary>Writes transaction bundles (to the FHIR service) and reads back what was written before.</summary>
public interface IFhirWriter
{
    /// <summary>
    /// Writes one transaction bundle, given as UTF-8 JSON (a <see cref="Fhir.ReportTransaction.Bundle"/>, sent as it is;
    /// a bundle built as nodes goes through <see cref="FhirWriterExtensions.WriteTransactionAsync"/>). Throws
    /// <see cref="FhirTransientException"/> when retries are exhausted (the caller's queue retries later) and
    /// <see cref="FhirRejectedException"/> when the server refuses the content (never retried).
    /// </summary>
    Task<FhirWriteResult> WriteTransactionAsync(ReadOnlyMemory<byte> bundle, CancellationToken cancellationToken);

    /// <summary>
    /// The current version of a resource (<c>Type/id</c>), or null when there is none (404 or 410) or the
    /// writer keeps no resources (file output). Used to find what a re-sent report withdraws.
    /// Throws like <see cref="WriteTransactionAsync"/> when the service stays unavailable.
    /// </summary>
    Task<JsonObject?> ReadAsync(string reference, CancellationToken cancellationToken);

    /// <summary>
    /// The Patients that carry an identifier (<c>GET Patient?identifier=system|value</c>): those a conditional create by
    /// that identifier would find. Used to check a report's patient details against the EMR's before writing.
    /// Throws like <see cref="WriteTransactionAsync"/> when the service stays unavailable.
    /// </summary>
    Task<IReadOnlyList<JsonObject>> FindPatientsAsync(string system, string value, CancellationToken cancellationToken);
}

/// <summary>What the server made of a transaction: <c>Type/id/_history/version</c> per entry.</summary>
public sealed record FhirWriteResult(IReadOnlyList<string> Locations)
{
    /// <summary>
    /// <c>Patient/id</c> from the server's answer to the conditional create (the EMR's id, not ours). Servers give
    /// locations relative or absolute, with or without <c>/_history/n</c>: the type and id are the last two segments.
    /// </summary>
    public string? PatientReference()
    {
        foreach (var location in Locations)
        {
            var history = location.IndexOf("/_history", StringComparison.Ordinal);
            var segments = (history > 0 ? location[..history] : location).Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length >= 2 && segments[^2] == "Patient") return $"Patient/{segments[^1]}";
        }

        return null;
    }
}

/// <summary>The FHIR service failed in a way that may pass (429, 5xx, timeout) and retries ran out.</summary>
/// <param name="message">What failed, without content.</param>
/// <param name="inner">The connection or timeout failure, if it was one.</param>
/// <param name="statusCode">The HTTP status the service answered with; null when it could not be reached.</param>
public sealed class FhirTransientException(string message, Exception? inner = null, int? statusCode = null) : Exception(message, inner)
{
    public int? StatusCode { get; } = statusCode;
}

/// <summary>The FHIR service refused the content (400/404/409/412/422): retrying will not help.</summary>
/// <param name="statusCode">The HTTP status.</param>
/// <param name="issues">The OperationOutcome's issues as severity, code and location only: safe for the ledger.</param>
/// <param name="outcome">
/// The issues with the server's diagnostics text, which may quote resource values (PHI): for the
/// error report stored beside the original, never for logs or the ledger.
/// </param>
public sealed class FhirRejectedException(int statusCode, string issues, string outcome)
    : Exception($"The FHIR service rejected the transaction with HTTP {statusCode}.")
{
    public int StatusCode { get; } = statusCode;

    public string Issues { get; } = issues;

    public string Outcome { get; } = outcome;
}
