using System.Net;

namespace PrecisionMed.Adapters.Fhir;

/// <summary>
/// Sits under the resilience handler, so it sees every attempt: tells the adaptive limiter about 429s and
/// successes, and counts the 429s.
/// </summary>
internal sealed class FhirAttemptObserver(AdaptiveConcurrencyLimiter limiter, FhirMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var generation = limiter.Generation;
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            metrics.Throttled();
            limiter.Throttled(generation);
        }
        else if ((int)response.StatusCode < 500)
        {
            limiter.Succeeded();
        }

        return response;
    }
}
