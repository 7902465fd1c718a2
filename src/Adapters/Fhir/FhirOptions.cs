using System.ComponentModel.DataAnnotations;
using PrecisionMed.Adapters.Settings;

namespace PrecisionMed.Adapters.Fhir;

/// <summary>The FHIR service (section <c>Fhir</c>). The bounds on the resilience settings are the resilience library's own.</summary>
public sealed class FhirOptions
{
    public const string SectionName = "Fhir";

    private const string AtLeast = "{0} must be at least {1}";

    /// <summary>The service base URL, e.g. <c>https://ws-fhir.fhir.azurehealthcareapis.com/</c>.</summary>
    [HttpUrl]
    public Uri? BaseUrl { get; set; }

    /// <summary>Authenticate with Entra ID (the app's managed identity) for <c>{BaseUrl}/.default</c>.</summary>
    public bool UseManagedIdentity { get; set; }

    public string? ClientId { get; set; }

    /// <summary>Retries of a transient failure (429, 408, 500, 502, 503, 504, timeout, dropped connection) before the queue takes over.</summary>
    [Range(0, 100)]
    public int MaxRetries { get; set; } = 5;

    /// <summary>The first retry's delay; later ones grow exponentially with jitter, unless the server says Retry-After.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// The budget of one request with all its retries and waits (for a permit, for Retry-After). Well inside
    /// host.json's functionTimeout, so that an exhausted budget hands the unit back to the queue in time.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(4);

    /// <summary>Requests in flight to the FHIR service at most, per instance; halved on each burst of 429s, regained one by one.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>Share of failed attempts (5xx, timeouts, dropped connections; not 429) in the sampling window that opens the circuit.</summary>
    [Range(0.0, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Attempts in the sampling window before the breaker judges at all.</summary>
    [Range(2, int.MaxValue, ErrorMessage = AtLeast)]
    public int BreakerMinimumThroughput { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:00.500", "1.00:00:00")]
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit fails requests at once (the queue redelivers them) before it tries one.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "1.00:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
