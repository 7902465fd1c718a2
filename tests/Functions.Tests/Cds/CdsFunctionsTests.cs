using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Adapters;
using PrecisionMed.Api;
using PrecisionMed.Core.Cds;
using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Functions.Tests.Hosting;
using PrecisionMed.Functions.Triggers;
using PrecisionMed.Testing.Cds;

namespace PrecisionMed.Functions.Tests.Cds;

/// <summary>
/// The CDS Hooks functions as the worker calls them, with an EHR's JWTs from a test issuer whose RSA key is made here
/// and whose JWKS (and FHIR server) answer over loopback HTTP: the spec's accept and reject cases (unsigned, HMAC,
/// wrong audience, expired, future iat, too long-lived, replayed jti, untrusted issuer, jku not allow-listed, another
/// key), 404, 400, 412 when a Medication was neither sent nor fetchable, the EHR's fhirAuthorization used for its own
/// FHIR server, and feedback stored and counted. Every card is checked against the spec's rules.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class CdsFunctionsTests : IAsyncLifetime
{
    private const string Service = "pgx-prescribing-order-sign";
    private static readonly Uri Base = new("https://pmed-func.azurewebsites.net/api/");
    private TestCdsIssuer _issuer = null!;
    private ServiceProvider _services = null!;

    private static Uri ServiceUrl => new(Base, $"cds-services/{Service}");

    public async ValueTask InitializeAsync()
    {
        _issuer = await TestCdsIssuer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cds:TrustedIssuers"] = _issuer.TrustedIssuersSetting,
        }).Build();
        _services = new ServiceCollection().AddPrecisionMedApi().AddPrecisionMed(configuration, AppConnections.None).BuildServiceProvider();
        await _services.GetRequiredService<IGenomicIndex>().WriteAsync(new IndexedReport
        {
            Report = "DiagnosticReport/pgx",
            Patient = "Patient/pm",
            Status = "final",
            TestDate = "2024-02-03",
            Lab = "Example PGx lab",
            Haplotypes = [new IndexedHaplotype("Observation/g1", "genotype", [new IndexedGene("HGNC:2621", "CYP2C19")], "CYP2C19 *2/*2", [])],
        }, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task AValidToken_IsAnswered_WithCardsThatKeepTheSpecsRules()
    {
        var (status, body) = await CallAsync(_issuer.Token(ServiceUrl), Clopidogrel());

        Assert.Equal(HttpStatusCode.OK, status);
        var cards = body["cards"]!.AsArray();
        var card = Assert.Single(cards)!.AsObject();
        Assert.Equal("critical", (string?)card["indicator"]);
        Assert.True(((string?)card["summary"])!.Length < 140);
        Assert.Equal("CPIC", (string?)card["source"]!["label"]);
        Assert.Equal("at-most-one", (string?)card["selectionBehavior"]);
        Assert.Equal("delete", (string?)card["suggestions"]![0]!["actions"]![0]!["type"]);
        Assert.Equal("MedicationRequest/mr1", (string?)card["suggestions"]![0]!["actions"]![0]!["resourceId"]);
        Assert.True(Guid.TryParse((string?)card["uuid"], out _));
        Assert.All(card["overrideReasons"]!.AsArray(), r => Assert.NotNull((string?)r!["code"]));
    }

    public static TheoryData<string> Refusals =>
    [
        "none", "hmac", "audience", "expired", "future", "not-yet", "nbf-not-a-time", "lifetime", "issuer", "jku", "key", "no-jti", "missing", "not-bearer",
    ];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task TokensTheSpecRefuses_Are401(string refusal)
    {
        using var otherKey = System.Security.Cryptography.RSA.Create(2048);
        var token = refusal switch
        {
            "none" => _issuer.UnsignedToken(ServiceUrl),
            "hmac" => _issuer.HmacToken(ServiceUrl),
            "audience" => _issuer.Token(new Uri(Base, "cds-services/another-service")),
            "expired" => _issuer.Token(ServiceUrl, (_, c) => { c["iat"] = Now() - 900; c["exp"] = Now() - 600; }),
            "future" => _issuer.Token(ServiceUrl, (_, c) => { c["iat"] = Now() + 600; c["exp"] = Now() + 800; }),
            "not-yet" => _issuer.Token(ServiceUrl, (_, c) => c["nbf"] = Now() + 600),
            "nbf-not-a-time" => _issuer.Token(ServiceUrl, (_, c) => c["nbf"] = "soon"),
            "lifetime" => _issuer.Token(ServiceUrl, (_, c) => c["exp"] = Now() + 3600),
            "issuer" => _issuer.Token(ServiceUrl, (_, c) => c["iss"] = "https://attacker.example"),
            "jku" => _issuer.Token(ServiceUrl, (h, _) => h["jku"] = "https://attacker.example/jwks.json"),
            "key" => _issuer.Token(ServiceUrl, signWith: otherKey),
            "no-jti" => _issuer.Token(ServiceUrl, (_, c) => c.Remove("jti")),
            _ => null,
        };
        var header = refusal switch { "missing" => null, "not-bearer" => "Basic dXNlcjpwYXNz", _ => $"Bearer {token}" };

        var (status, body) = await CallAsync(header, Clopidogrel(), raw: true);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.False(string.IsNullOrWhiteSpace((string?)body["error"]));
    }

    [Fact]
    public async Task AReplayedToken_IsRefused_AndTheAllowListedJku_IsAccepted()
    {
        var token = _issuer.Token(ServiceUrl);
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(token, Clopidogrel())).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await CallAsync(token, Clopidogrel())).Status);

        var withJku = _issuer.Token(ServiceUrl, (h, _) => h["jku"] = _issuer.Jwks.ToString());
        Assert.Equal(HttpStatusCode.OK, (await CallAsync(withJku, Clopidogrel())).Status);
        Assert.Equal(1, _issuer.JwksRequests); // the key set is cached
    }

    [Fact]
    public async Task GzipBody_Answers415AsPmedServeDoes_WithoutCallingTheService()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest)) gzip.Write(Encoding.UTF8.GetBytes(Clopidogrel().ToJsonString()));
        await using var scope = _services.CreateAsyncScope();
        var context = new TestFunctionContext(scope.ServiceProvider, "CdsServiceFunction", TestContext.Current.CancellationToken);
        var request = new TestHttpRequest(context, "POST", ServiceUrl, new MemoryStream(compressed.ToArray()));
        request.Headers.Add("Authorization", $"Bearer {_issuer.Token(ServiceUrl)}");
        request.Headers.Add("Content-Encoding", "gzip");

        var response = (TestHttpResponse)await HttpApiFunctions.CdsServiceAsync(request, Service);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("The request body's Content-Encoding is not accepted; send the body uncompressed.", (string?)JsonNode.Parse(response.ReadBody())!["error"]);
        Assert.Equal(["identity"], response.Headers.GetValues("Accept-Encoding"));
    }

    [Fact]
    public async Task BodyPastTheLimit_Answers413AsPmedServeDoes_WithoutCallingTheService()
    {
        var (status, body) = await RunAsync("CdsServiceFunction", Service, "POST", new string(' ', (int)ApiRequest.MaxBodyBytes + 1), $"Bearer {_issuer.Token(ServiceUrl)}");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("The request body is larger than this server accepts (30,000,000 bytes).", (string?)body["error"]);
    }

    [Fact]
    public async Task UnknownService404_Malformed400_UnfetchableMedication412()
    {
        var unknown = await RunAsync("CdsServiceFunction", "no-such-service", "POST", "{}", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);

        var (malformed, error) = await CallAsync(_issuer.Token(ServiceUrl), new JsonObject { ["hook"] = "order-sign" });
        Assert.Equal(HttpStatusCode.BadRequest, malformed);
        Assert.Contains("hookInstance", (string?)error["error"], StringComparison.Ordinal);

        var byReference = Clopidogrel();
        var order = byReference["context"]!["draftOrders"]!["entry"]![0]!["resource"]!.AsObject();
        order.Remove("medicationCodeableConcept");
        order["medicationReference"] = new JsonObject { ["reference"] = "Medication/med-1" };
        var (unfetchable, reason) = await CallAsync(_issuer.Token(ServiceUrl), byReference);
        Assert.Equal(HttpStatusCode.PreconditionFailed, unfetchable);
        Assert.Contains("prefetch", (string?)reason["error"], StringComparison.Ordinal);

        // With the EHR's FHIR server and token, the Medication is read there, with that token.
        _issuer.FhirResources["Medication/med-1"] = new JsonObject
        {
            ["resourceType"] = "Medication",
            ["id"] = "med-1",
            ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://www.nlm.nih.gov/research/umls/rxnorm", ["code"] = "32968" }) },
        };
        byReference["fhirServer"] = _issuer.Fhir.ToString();
        byReference["fhirAuthorization"] = new JsonObject { ["access_token"] = TestCdsIssuer.FhirToken, ["token_type"] = "Bearer", ["expires_in"] = 300, ["scope"] = "user/Medication.read", ["subject"] = "cds-service" };
        var (fetched, cards) = await CallAsync(_issuer.Token(ServiceUrl), byReference);
        Assert.Equal(HttpStatusCode.OK, fetched);
        Assert.Single(cards["cards"]!.AsArray());
        Assert.Contains($"Bearer {TestCdsIssuer.FhirToken}", _issuer.FhirAuthorizations);
    }

    [Fact]
    public async Task Discovery_ListsTheServices_WithoutAToken()
    {
        var discovery = await RunAsync("CdsDiscoveryFunction", null, "GET", null, null);

        Assert.Equal(HttpStatusCode.OK, discovery.Status);
        var services = discovery.Body["services"]!.AsArray();
        Assert.Equal(4, services.Count);
        foreach (var service in services)
        {
            foreach (var field in new[] { "hook", "id", "title", "description", "usageRequirements" }) Assert.False(string.IsNullOrWhiteSpace((string?)service![field]), field);
            Assert.NotEmpty(service!["prefetch"]!.AsObject());
        }
    }

    [Fact]
    public async Task Feedback_IsStoredAndCounted_ByServiceKindAndOutcome()
    {
        var (_, answer) = await CallAsync(_issuer.Token(ServiceUrl), Clopidogrel());
        var card = (string?)answer["cards"]![0]!["uuid"];
        var suggestion = (string?)answer["cards"]![0]!["suggestions"]![0]!["uuid"];
        var feedback = new JsonObject
        {
            ["feedback"] = new JsonArray(
                new JsonObject { ["card"] = card, ["outcome"] = "accepted", ["acceptedSuggestions"] = new JsonArray(new JsonObject { ["id"] = suggestion }), ["outcomeTimestamp"] = "2026-12-06T10:00:00Z" },
                new JsonObject
                {
                    ["card"] = card, ["outcome"] = "overridden", ["outcomeTimestamp"] = "2026-12-06T10:05:00Z",
                    ["overrideReason"] = new JsonObject { ["reason"] = new JsonObject { ["code"] = "will-monitor", ["system"] = "https://precisionmed.example.org/cds/override-reason" }, ["userComment"] = "patient Jane Doe" },
                }),
        };
        var feedbackUrl = new Uri(Base, $"cds-services/{Service}/feedback");
        var function = "CdsFeedbackFunction";
        var measured = new System.Collections.Concurrent.ConcurrentBag<(long Value, Dictionary<string, string?> Tags)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "precisionmed.cds.feedback") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var named = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var tag in tags) named[tag.Key] = tag.Value?.ToString();
            if (named.GetValueOrDefault("service") == Service) measured.Add((value, named));
        });
        listener.Start();

        Assert.Equal(HttpStatusCode.Unauthorized, (await RunAsync(function, Service, "POST", feedback.ToJsonString(), null, feedbackUrl)).Status);
        var stored = await RunAsync(function, Service, "POST", feedback.ToJsonString(), $"Bearer {_issuer.Token(ServiceUrl)}", feedbackUrl);
        Assert.Equal(HttpStatusCode.OK, stored.Status);

        var counts = await RunAsync("CdsFeedbackCountsFunction", null, "GET", null, null, new Uri(Base, "cds-feedback"));
        var rows = counts.Body["feedback"]!.AsArray();
        Assert.Equal(2, rows.Count);
        Assert.Contains(rows, r => (string?)r!["kind"] == "pgx-avoid" && (string?)r["outcome"] == "accepted" && (long)r["count"]! == 1);
        Assert.Contains(rows, r => (string?)r!["outcome"] == "overridden" && (string?)r["overrideReason"] == "will-monitor");
        Assert.DoesNotContain("Jane", counts.Body.ToJsonString(), StringComparison.Ordinal);

        // The same outcomes as a metric, tagged by service, card kind and outcome only (no card, patient or comment).
        Assert.Contains(measured, m => m.Value == 1 && m.Tags["kind"] == "pgx-avoid" && m.Tags["outcome"] == "accepted");
        Assert.Contains(measured, m => m.Value == 1 && m.Tags["kind"] == "pgx-avoid" && m.Tags["outcome"] == "overridden");
        Assert.All(measured, m => Assert.Equal(["kind", "outcome", "service"], m.Tags.Keys.Order(StringComparer.Ordinal)));
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static JsonObject Clopidogrel() => new()
    {
        ["hook"] = "order-sign",
        ["hookInstance"] = Guid.NewGuid().ToString(),
        ["context"] = new JsonObject
        {
            ["userId"] = "PractitionerRole/123",
            ["patientId"] = "pm",
            ["encounterId"] = "enc-1",
            ["draftOrders"] = new JsonObject
            {
                ["resourceType"] = "Bundle",
                ["entry"] = new JsonArray(new JsonObject
                {
                    ["resource"] = new JsonObject
                    {
                        ["resourceType"] = "MedicationRequest", ["id"] = "mr1", ["status"] = "draft", ["intent"] = "order",
                        ["medicationCodeableConcept"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://www.nlm.nih.gov/research/umls/rxnorm", ["code"] = "32968", ["display"] = "clopidogrel" }) },
                    },
                }),
            },
        },
    };

    private async Task<(HttpStatusCode Status, JsonObject Body)> CallAsync(string? token, JsonObject body, bool raw = false)
    {
        var answer = await RunAsync(
            "CdsServiceFunction", Service, "POST", body.ToJsonString(),
            raw ? token : token is null ? null : $"Bearer {token}");
        if (answer.Status == HttpStatusCode.OK)
        {
            foreach (var card in answer.Body["cards"]!.AsArray())
            {
                var parsed = System.Text.Json.JsonSerializer.Deserialize<CdsCard>(card!.ToJsonString(), ApiResponse.JsonOptions)!;
                Assert.Empty(CdsCardRules.Breaches(parsed));
            }
        }

        return answer;
    }

    private async Task<(HttpStatusCode Status, JsonObject Body)> RunAsync(string function, string? id, string method, string? body, string? authorization, Uri? url = null)
    {
        await using var scope = _services.CreateAsyncScope();
        var context = new TestFunctionContext(scope.ServiceProvider, function, TestContext.Current.CancellationToken);
        var request = new TestHttpRequest(context, method, url ?? new Uri(Base, id is null ? "cds-services" : $"cds-services/{id}"), new MemoryStream(Encoding.UTF8.GetBytes(body ?? string.Empty)));
        if (authorization is not null) request.Headers.Add("Authorization", authorization);
        var response = (TestHttpResponse)await (function switch
        {
            "CdsServiceFunction" => HttpApiFunctions.CdsServiceAsync(request, id!),
            "CdsFeedbackFunction" => HttpApiFunctions.CdsFeedbackAsync(request, id!),
            "CdsDiscoveryFunction" => HttpApiFunctions.CdsDiscoveryAsync(request),
            "CdsFeedbackCountsFunction" => HttpApiFunctions.CdsFeedbackCountsAsync(request),
            _ => throw new ArgumentException("not a CDS function", nameof(function)),
        });
        return (response.StatusCode, JsonNode.Parse(response.ReadBody())!.AsObject());
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _issuer.DisposeAsync();
    }
}
