using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Core.Pipeline.Work;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Adapters.Tests.Fhir;

/// <summary>
/// The FHIR writer as the app registers it (typed HttpClient + resilience handler): what it retries,
/// how long it waits, and what it gives up with. Scripted HTTP answers stand in for a throttling
/// server, which the FHIR dev server cannot be; the real round trip is tested against it too.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class FhirHttpWriterTests(LocalStackFixture stack)
{
    private static readonly JsonObject EmptyTransaction = new() { ["resourceType"] = "Bundle", ["type"] = "transaction", ["entry"] = new JsonArray() };

    [Fact]
    public async Task WriteTransaction_ServiceUnavailableThenOk_RetriesAndSucceeds()
    {
        var handler = new StubHandler(
            () => StubHandler.Status(HttpStatusCode.ServiceUnavailable),
            () => StubHandler.Status(HttpStatusCode.BadGateway),
            () => StubHandler.Status(HttpStatusCode.OK, """{"resourceType":"Bundle","type":"transaction-response","entry":[{"response":{"status":"201","location":"Observation/a/_history/1"}}]}"""));

        var result = await Writer(handler).WriteTransactionAsync(EmptyTransaction, TestContext.Current.CancellationToken);

        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(["Observation/a/_history/1"], result.Locations);
    }

    [Theory]
    [InlineData("""{"resourceType":"Bundle","type":"searchset","total":0}""")]
    [InlineData("""{"resourceType":"OperationOutcome"}""")]
    [InlineData("<html><body>It works!</body></html>")]
    public async Task WriteTransaction_AnswerIsNoTransactionResponse_NothingTakenAsWritten(string answer)
    {
        var handler = new StubHandler(() => StubHandler.Status(HttpStatusCode.OK, answer));

        var error = await Assert.ThrowsAsync<FhirTransientException>(() => Writer(handler).WriteTransactionAsync(EmptyTransaction, TestContext.Current.CancellationToken));

        Assert.Contains("nothing was taken as written", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteTransaction_Utf8Bundle_PostedAsItIsOnEveryAttempt()
    {
        var handler = new StubHandler(
            () => StubHandler.Status(HttpStatusCode.ServiceUnavailable),
            () => StubHandler.Status(HttpStatusCode.OK, """{"resourceType":"Bundle","type":"transaction-response"}"""));
        var bundle = """{"resourceType":"Bundle","type":"transaction","entry":[ ]}"""u8.ToArray();

        await Writer(handler).WriteTransactionAsync(bundle, TestContext.Current.CancellationToken);

        Assert.Equal(2, handler.Bodies.Count);
        Assert.All(handler.Bodies, sent =>
        {
            Assert.Equal(bundle, sent.Body);
            Assert.Equal("application/fhir+json; charset=utf-8", sent.ContentType);
        });
    }

    [Fact]
    public async Task WriteTransaction_TooManyRequestsWithRetryAfter_WaitsAsTold()
    {
        var handler = new StubHandler(
            () =>
            {
                var throttled = StubHandler.Status(HttpStatusCode.TooManyRequests);
                throttled.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
                return throttled;
            },
            () => StubHandler.Status(HttpStatusCode.OK, """{"resourceType":"Bundle","type":"transaction-response"}"""));

        await Writer(handler).WriteTransactionAsync(EmptyTransaction, TestContext.Current.CancellationToken);

        // The base delay is 10 ms; only Retry-After explains a wait of about a second.
        Assert.Equal(2, handler.Requests.Count);
        Assert.True(handler.Requests[1] - handler.Requests[0] >= TimeSpan.FromMilliseconds(900),
            $"waited {(handler.Requests[1] - handler.Requests[0]).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task WriteTransaction_AlwaysUnavailable_ThrowsTransientAfterRetries()
    {
        var handler = new StubHandler(() => StubHandler.Status(HttpStatusCode.ServiceUnavailable));

        var error = await Assert.ThrowsAsync<FhirTransientException>(
            () => Writer(handler, maxRetries: 2).WriteTransactionAsync(EmptyTransaction, TestContext.Current.CancellationToken));
        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(503, error.StatusCode); // the category a waiting unit records
        Assert.Equal("the FHIR service answered HTTP 503", TransientRetryScheduler.ReasonOf(error));
    }

    [Fact]
    public async Task WriteTransaction_Unprocessable_ThrowsRejectedWithOutcomeWithoutRetrying()
    {
        var handler = new StubHandler(() => StubHandler.Status(HttpStatusCode.UnprocessableEntity,
            """{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"invalid","expression":["Observation.status"],"diagnostics":"Missing required property"}]}"""));

        var error = await Assert.ThrowsAsync<FhirRejectedException>(
            () => Writer(handler).WriteTransactionAsync(EmptyTransaction, TestContext.Current.CancellationToken));

        Assert.Single(handler.Requests);
        Assert.Equal(422, error.StatusCode);
        Assert.Equal("error invalid at Observation.status: Missing required property", error.Outcome);
        Assert.Equal("error invalid at Observation.status", error.Issues);
    }

    [Fact]
    public async Task WriteTransaction_NobodyListening_ThrowsTransient()
    {
        using var services = Services($"http://127.0.0.1:{LoopbackPorts.Closed}/", maxRetries: 1, handler: null);

        var error = await Assert.ThrowsAsync<FhirTransientException>(
            () => services.GetRequiredService<IFhirWriter>().WriteTransactionAsync(EmptyTransaction, TestContext.Current.CancellationToken));
        Assert.Null(error.StatusCode);
    }

    [Fact]
    public async Task WriteTransaction_RealFhirServer_ReturnsLocationsOfWrittenResources()
    {
        using var services = Services(stack.Stack.FhirBaseUrl.ToString(), maxRetries: 1, handler: null);
        var id = Guid.NewGuid().ToString();
        var bundle = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "transaction",
            ["entry"] = new JsonArray(new JsonObject
            {
                ["resource"] = new JsonObject { ["resourceType"] = "Basic", ["id"] = id, ["code"] = new JsonObject { ["text"] = "test" } },
                ["request"] = new JsonObject { ["method"] = "PUT", ["url"] = $"Basic/{id}" },
            }),
        };

        var result = await services.GetRequiredService<IFhirWriter>().WriteTransactionAsync(bundle, TestContext.Current.CancellationToken);

        Assert.Single(result.Locations);
        Assert.Contains($"Basic/{id}/_history/", result.Locations[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_RealFhirServer_ReturnsWhatWasWrittenAndNullForAnUnknownId()
    {
        using var services = Services(stack.Stack.FhirBaseUrl.ToString(), maxRetries: 1, handler: null);
        var fhir = services.GetRequiredService<IFhirWriter>();
        var id = Guid.NewGuid().ToString();
        var bundle = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "transaction",
            ["entry"] = new JsonArray(new JsonObject
            {
                ["resource"] = new JsonObject { ["resourceType"] = "Basic", ["id"] = id, ["code"] = new JsonObject { ["text"] = "read me" } },
                ["request"] = new JsonObject { ["method"] = "PUT", ["url"] = $"Basic/{id}" },
            }),
        };
        await fhir.WriteTransactionAsync(bundle, TestContext.Current.CancellationToken);

        var read = await fhir.ReadAsync($"Basic/{id}", TestContext.Current.CancellationToken);
        var missing = await fhir.ReadAsync($"Basic/{Guid.NewGuid()}", TestContext.Current.CancellationToken);

        Assert.Equal("read me", read!["code"]!["text"]!.GetValue<string>());
        Assert.Null(missing);
    }

    /// <summary>The search a conditional create by identifier runs, with a system and value that need escaping.</summary>
    [Fact]
    public async Task FindPatients_RealFhirServer_FindsByEscapedSystemAndValueOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        using var services = Services(stack.Stack.FhirBaseUrl.ToString(), maxRetries: 1, handler: null);
        var fhir = services.GetRequiredService<IFhirWriter>();
        const string system = "urn:oid:2.16.840.1.113883.19.5.1";
        var value = $"MRN {Guid.NewGuid():N}/&+";
        var bundle = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "transaction",
            ["entry"] = new JsonArray(new JsonObject
            {
                ["resource"] = new JsonObject
                {
                    ["resourceType"] = "Patient",
                    ["identifier"] = new JsonArray(new JsonObject { ["system"] = system, ["value"] = value }),
                    ["birthDate"] = "1980-02-02",
                },
                ["request"] = new JsonObject
                {
                    ["method"] = "POST",
                    ["url"] = "Patient",
                    ["ifNoneExist"] = $"identifier={Uri.EscapeDataString(system)}|{Uri.EscapeDataString(value)}",
                },
            }),
        };
        await fhir.WriteTransactionAsync(bundle, ct);

        var found = await fhir.FindPatientsAsync(system, value, ct);
        var otherSystem = await fhir.FindPatientsAsync("urn:oid:2.16.840.1.113883.19.5.2", value, ct);
        var otherValue = await fhir.FindPatientsAsync(system, value + "0", ct);

        Assert.Equal("1980-02-02", Assert.Single(found)["birthDate"]!.GetValue<string>());
        Assert.Empty(otherSystem);
        Assert.Empty(otherValue);
    }

    [Fact]
    public async Task Read_AlwaysUnavailable_ThrowsTransientAfterRetries()
    {
        var handler = new StubHandler(() => StubHandler.Status(HttpStatusCode.ServiceUnavailable));

        await Assert.ThrowsAsync<FhirTransientException>(
            () => Writer(handler, maxRetries: 2).ReadAsync("Observation/x", TestContext.Current.CancellationToken));
        Assert.Equal(3, handler.Requests.Count);
    }

    private static IFhirWriter Writer(StubHandler handler, int maxRetries = 5) =>
        Services("http://fhir.test/", maxRetries, handler).GetRequiredService<IFhirWriter>();

    private static ServiceProvider Services(string baseUrl, int maxRetries, StubHandler? handler)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Fhir:BaseUrl"] = baseUrl,
            ["Fhir:MaxRetries"] = maxRetries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Fhir:RetryBaseDelay"] = "00:00:00.010",
        }).Build();
        var services = new ServiceCollection().AddFhirHttpWriter(configuration);
        if (handler is not null) services.ConfigureHttpClientDefaults(http => http.ConfigurePrimaryHttpMessageHandler(() => handler));
        return services.BuildServiceProvider();
    }
}
