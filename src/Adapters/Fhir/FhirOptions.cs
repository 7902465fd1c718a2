namespace PrecisionMed.Adapters.Fhir;

/// <summary>The FHIR service (section <c>Fhir</c>).</summary>
public sealed class FhirOptions
{
    public const string SectionName = "Fhir";

    /// <summary>The service base URL, e.g. <c>https://ws-fhir.fhir.azurehealthcareapis.com/</c>.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Authenticate with Entra ID (the app's managed identity) for <c>{BaseUrl}/.default</c>.</summary>
    public bool UseManagedIdentity { get; set; }

    public string? ClientId { get; set; }

    /// <summary>Retries of a transient failure (429, 5xx, timeout) before the queue takes over.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>The first retry's delay; later ones grow exponentially with jitter, unless the server says Retry-After.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(100);
}
