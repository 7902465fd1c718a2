using System.Globalization;
using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace PrecisionMed.Adapters.Fhir;

/// <summary>
/// The FHIR client's resilience pipeline, outermost first: a total budget for the request with all its
/// retries; retries of transient failures (jittered exponential backoff, or the server's own wait); per
/// attempt a permit from the adaptive concurrency limiter, the circuit breaker and the attempt timeout.
/// Retrying a transaction whose answer was lost is safe: its entries are PUTs to deterministic ids and
/// conditional creates, so a second write changes nothing.
/// </summary>
internal static class FhirResilience
{
    /// <summary>Azure Health Data Services' throttling header: the wait in milliseconds, finer than Retry-After.</summary>
    public const string RetryAfterMsHeader = "x-ms-retry-after-ms";

    public static void Configure(
        ResiliencePipelineBuilder<HttpResponseMessage> pipeline, FhirOptions options, AdaptiveConcurrencyLimiter limiter, FhirMetrics metrics)
    {
        pipeline.AddTimeout(options.TotalTimeout);
        if (options.MaxRetries > 0) AddRetry(pipeline, options, metrics); // Polly allows no retry strategy of 0 attempts
        pipeline.AddRateLimiter(new RateLimiterStrategyOptions
        {
            RateLimiter = args => limiter.AcquireAsync(1, args.Context.CancellationToken),
        });
        pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = options.BreakerFailureRatio,
            MinimumThroughput = options.BreakerMinimumThroughput,
            SamplingDuration = options.BreakerSamplingDuration,
            BreakDuration = options.BreakDuration,
            // A throttling service is up and answering: the limiter deals with 429, the breaker with outages.
            ShouldHandle = args => ValueTask.FromResult(
                ShouldRetry(args.Outcome) && args.Outcome.Result?.StatusCode != HttpStatusCode.TooManyRequests),
            OnOpened = _ =>
            {
                metrics.CircuitOpened();
                return ValueTask.CompletedTask;
            },
        });
        pipeline.AddTimeout(options.AttemptTimeout);
    }

    private static void AddRetry(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, FhirOptions options, FhirMetrics metrics) =>
        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
            ShouldRetryAfterHeader = false, // the generator below reads Retry-After and x-ms-retry-after-ms
            DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? ServerDelay(response) : null),
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome)),
            OnRetry = args =>
            {
                metrics.Retried(ReasonOf(args.Outcome));
                return ValueTask.CompletedTask;
            },
        });

    /// <summary>
    /// The statuses worth another attempt: throttling, timeouts and the server-side failures that pass.
    /// Not 501, 505 and the like: the same request will get the same answer.
    /// </summary>
    public static bool IsRetryable(HttpStatusCode status) => status is HttpStatusCode.TooManyRequests
        or HttpStatusCode.RequestTimeout
        or HttpStatusCode.InternalServerError
        or HttpStatusCode.BadGateway
        or HttpStatusCode.ServiceUnavailable
        or HttpStatusCode.GatewayTimeout;

    /// <summary>
    /// The wait the server asked for: <c>x-ms-retry-after-ms</c> first (milliseconds), then <c>Retry-After</c>
    /// (seconds or a date); null when it said nothing, so the backoff decides.
    /// </summary>
    public static TimeSpan? ServerDelay(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues(RetryAfterMsHeader, out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds)
            && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        return response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => null,
        };
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        // A dropped connection or an attempt that timed out; not an open circuit or a full permit queue:
        // those fail fast, and the queue's redelivery comes back later.
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Exception: BrokenCircuitException or RateLimiterRejectedException } => false,
        { Result: { } response } => IsRetryable(response.StatusCode),
        _ => false,
    };

    private static string ReasonOf(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Result: { } response } => ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture),
        { Exception: TimeoutRejectedException } => "timeout",
        _ => "connection",
    };
}
