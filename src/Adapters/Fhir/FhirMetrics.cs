using System.Diagnostics.Metrics;

namespace PrecisionMed.Adapters.Fhir;

/// <summary>
/// The FHIR writer's instruments on the <c>PrecisionMed.Fhir</c> meter (the exporters take <c>PrecisionMed.*</c>). Names
/// are stable (dashboards and alerts use them); tags carry status codes and reasons only, never anything from the resources.
/// </summary>
internal sealed class FhirMetrics
{
    public const string MeterName = "PrecisionMed.Fhir";
    public const string RetriesName = "precisionmed.fhir.retries";
    public const string ThrottledName = "precisionmed.fhir.throttled";
    public const string CircuitOpenedName = "precisionmed.fhir.circuit_opened";
    public const string ConcurrencyLimitName = "precisionmed.fhir.concurrency_limit";

    private readonly Counter<long> _retries;
    private readonly Counter<long> _throttled;
    private readonly Counter<long> _circuitOpened;

    public FhirMetrics(IMeterFactory meters, AdaptiveConcurrencyLimiter limiter)
    {
        var meter = meters.Create(MeterName);
        _retries = meter.CreateCounter<long>(RetriesName, "{retry}", "FHIR requests retried by the resilience pipeline, by reason.");
        _throttled = meter.CreateCounter<long>(ThrottledName, "{response}", "HTTP 429 answers from the FHIR service.");
        _circuitOpened = meter.CreateCounter<long>(CircuitOpenedName, "{event}", "Times the FHIR circuit breaker opened.");
        meter.CreateObservableGauge(ConcurrencyLimitName, () => limiter.CurrentLimit, "{request}",
            "Requests the writer lets be in flight to the FHIR service now (halved on 429, regained on success).");
    }

    /// <param name="reason">The HTTP status (e.g. <c>429</c>) or <c>timeout</c> / <c>connection</c>.</param>
    public void Retried(string reason) => _retries.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Throttled() => _throttled.Add(1);

    public void CircuitOpened() => _circuitOpened.Add(1);
}
