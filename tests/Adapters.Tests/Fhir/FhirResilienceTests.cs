using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Adapters.Fhir;
using PrecisionMed.Core.Pipeline;
using Xunit;

namespace PrecisionMed.Adapters.Tests.Fhir;

/// <summary>
/// The FHIR client's resilience pipeline as the app registers it, against scripted answers: which statuses
/// it retries, whose wait it honours, its total budget, its circuit breaker, its concurrency bound and its meters.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class FhirResilienceTests
{
    private static readonly JsonObject EmptyTransaction = new() { ["resourceType"] = "Bundle", ["type"] = "transaction", ["entry"] = new JsonArray() };

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task WriteTransaction_TransientStatusThenOk_Retries(HttpStatusCode status)
    {
        var handler = new StubHandler(() => StubHandler.Status(status), Ok);

        await Writer(handler).WriteTransactionAsync(EmptyTransaction, TestContext.Current.CancellationToken);

        Assert.Equal(2, handler.Requests.Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotImplemented)]
    [InlineData(HttpStatusCode.HttpVersionNotSupported)]
    public async Task WriteTransaction_ServerErrorThatWillNotPass_IsNotRetriedButLeftToTheQueue(HttpStatusCode status)
    {
        var handler = new StubHandler(() => StubHandler.Status(status), Ok);

        await Assert.ThrowsAsync<FhirTransientException>(
            () => Writer(handler).WriteTransactionAsync(EmptyTransaction, TestContext.Current.CancellationToken));

        Assert.Single(handler.Requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.PreconditionFailed)]
    [InlineData(HttpStatusCode.UnprocessableEntity)]
    public async Task WriteTransaction_ContentRefused_IsRejectedWithTheOutcomeAtOnce(HttpStatusCode status)
    {
        var handler = new StubHandler(() => StubHandler.Status(status,
            """{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid","expression":["Observation.code"],"diagnostics":"bad code"}]}"""));

        var error = await Assert.ThrowsAsync<FhirRejectedException>(
            () => Writer(handler).WriteTransactionAsync(EmptyTransaction, TestContext.Current.CancellationToken));

        Assert.Single(handler.Requests);
        Assert.Equal((int)status, error.StatusCode);
        Assert.Equal("error invalid at Observation.code: bad code", error.Outcome);
    }

    [Fact]
    public async Task WriteTransaction_DroppedConnectionThenOk_Retries()
    {
        var handler = new StubHandler(() => throw new HttpRequestException("The response ended prematurely."), Ok);

        await Writer(handler).WriteTransactionAsync(EmptyTransaction, TestContext.Current.CancellationToken);

        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task WriteTransaction_ThrottledWithRetryAfterMs_WaitsThatManyMilliseconds()
    {
        var handler = new StubHandler(() => Throttled(retryAfterMs: "400"), Ok);

        await Writer(handler).WriteTransactionAsync(EmptyTransaction, TestContext.Current.CancellationToken);

        // The base delay is 10 ms; only the header explains a wait of 400 ms.
        var waited = handler.Requests[1] - handler.Requests[0];
        Assert.True(waited >= TimeSpan.FromMilliseconds(380), $"waited {waited.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task WriteTransaction_BothRetryHeaders_TheFinerMillisecondsWin()
    {
        var handler = new StubHandler(
            () =>
            {
                var throttled = Throttled(retryAfterMs: "50");
                throttled.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(30));
                return throttled;
            },
            Ok);

        await Writer(handler).WriteTransactionAsync(EmptyTransaction, TestContext.Current.CancellationToken);

        var waited = handler.Requests[1] - handler.Requests[0];
        Assert.True(waited >= TimeSpan.FromMilliseconds(45) && waited < TimeSpan.FromSeconds(5), $"waited {waited.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task WriteTransaction_ThrottledLongerThanTheBudget_GivesUpWhenTheTotalTimeoutRunsOut()
    {
        var handler = new StubHandler(() => Throttled(retryAfterMs: "300"));
        var started = DateTimeOffset.UtcNow;

        await Assert.ThrowsAsync<FhirTransientException>(() => Writer(handler, new() { ["Fhir:MaxRetries"] = "10", ["Fhir:TotalTimeout"] = "00:00:00.800" })
            .WriteTransactionAsync(EmptyTransaction, TestContext.Current.CancellationToken));

        Assert.InRange(handler.Requests.Count, 2, 4);
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task WriteTransaction_ServiceKeepsFailing_CircuitOpensAndFailsFastWithoutCallingIt()
    {
        var handler = new StubHandler(() => StubHandler.Status(HttpStatusCode.ServiceUnavailable));
        var writer = Writer(handler, new() { ["Fhir:MaxRetries"] = "0", ["Fhir:BreakerMinimumThroughput"] = "2" });
        var ct = TestContext.Current.CancellationToken;

        for (var i = 0; i < 5; i++) await Assert.ThrowsAsync<FhirTransientException>(() => writer.WriteTransactionAsync(EmptyTransaction, ct));

        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task WriteTransaction_Throttling_DoesNotOpenTheCircuit()
    {
        var handler = new StubHandler(() => Throttled(retryAfterMs: "0"));
        var writer = Writer(handler, new() { ["Fhir:MaxRetries"] = "0", ["Fhir:BreakerMinimumThroughput"] = "2" });
        var ct = TestContext.Current.CancellationToken;

        for (var i = 0; i < 5; i++) await Assert.ThrowsAsync<FhirTransientException>(() => writer.WriteTransactionAsync(EmptyTransaction, ct));

        Assert.Equal(5, handler.Requests.Count);
    }

    [Fact]
    public async Task WriteTransaction_ManyAtOnce_NoMoreInFlightThanMaxConcurrency()
    {
        var handler = new SlowHandler(TimeSpan.FromMilliseconds(40));
        var writer = Writer(handler, new() { ["Fhir:MaxConcurrency"] = "3" });
        var ct = TestContext.Current.CancellationToken;

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => writer.WriteTransactionAsync(EmptyTransaction, ct)));

        Assert.Equal(20, handler.Completed);
        Assert.Equal(3, handler.MaxInFlight);
    }

    [Fact]
    public async Task WriteTransaction_RetriesAndThrottles_AreCountedOnTheMeter()
    {
        var handler = new StubHandler(() => Throttled(retryAfterMs: "0"), () => StubHandler.Status(HttpStatusCode.ServiceUnavailable), Ok);
        using var services = Services(handler, []);
        var factory = services.GetRequiredService<IMeterFactory>();
        var counts = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Meter.Name == FhirMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = instrument.Name + (tags.Length > 0 ? $"[{tags[0].Value}]" : string.Empty);
            lock (counts) counts[key] = counts.GetValueOrDefault(key) + value;
        });
        listener.Start();

        await services.GetRequiredService<IFhirWriter>().WriteTransactionAsync(EmptyTransaction, TestContext.Current.CancellationToken);

        Assert.Equal(1, counts.GetValueOrDefault("precisionmed.fhir.retries[429]"));
        Assert.Equal(1, counts.GetValueOrDefault("precisionmed.fhir.retries[503]"));
        Assert.Equal(1, counts.GetValueOrDefault("precisionmed.fhir.throttled"));
    }

    private static HttpResponseMessage Ok() =>
        StubHandler.Status(HttpStatusCode.OK, """{"resourceType":"Bundle","type":"transaction-response"}""");

    private static HttpResponseMessage Throttled(string retryAfterMs)
    {
        var throttled = StubHandler.Status(HttpStatusCode.TooManyRequests);
        throttled.Headers.Add(FhirResilience.RetryAfterMsHeader, retryAfterMs);
        return throttled;
    }

    private static IFhirWriter Writer(HttpMessageHandler handler, Dictionary<string, string?>? settings = null) =>
        Services(handler, settings ?? []).GetRequiredService<IFhirWriter>();

    private static ServiceProvider Services(HttpMessageHandler handler, Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Fhir:BaseUrl"] = "http://fhir.test/",
            ["Fhir:RetryBaseDelay"] = "00:00:00.010",
        }).AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddFhirHttpWriter(configuration);
        services.ConfigureHttpClientDefaults(http => http.ConfigurePrimaryHttpMessageHandler(() => handler));
        return services.BuildServiceProvider();
    }

    /// <summary>Answers 200 after a pause and records how many requests it held at once.</summary>
    private sealed class SlowHandler(TimeSpan pause) : HttpMessageHandler
    {
        private int _inFlight;
        private int _maxInFlight;
        private int _completed;

        public int MaxInFlight => Volatile.Read(ref _maxInFlight);

        public int Completed => Volatile.Read(ref _completed);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _inFlight);
            int seen;
            while ((seen = Volatile.Read(ref _maxInFlight)) < now && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
            {
                // Another request raised it first: look again.
            }

            await Task.Delay(pause, cancellationToken);
            Interlocked.Decrement(ref _inFlight);
            Interlocked.Increment(ref _completed);
            return Ok();
        }
    }
}
