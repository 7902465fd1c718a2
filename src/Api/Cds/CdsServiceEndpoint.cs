using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Logging;
using PrecisionMed.Core.Cds;
using PrecisionMed.Core.Cds.Governance;
using PrecisionMed.Core.Cds.Pgx;

namespace PrecisionMed.Api.Cds;

/// <summary>
/// A CDS Hooks call, <c>POST /api/cds-services/{id}</c>: 404 for an unknown service, 401 without an accepted JWT, 400
/// naming the field of a malformed request, 412 when a resource the call needs was neither sent nor fetchable, else 200
/// with the cards (<c>{"cards": []}</c> when nothing applies). Every card is checked against the spec's rules before it
/// leaves. Logs and metrics name the service, status, card count and kinds, and time; never the patient or the orders.
/// </summary>
public sealed partial class CdsServiceEndpoint : IApiEndpoint
{
    internal const string MeterName = "PrecisionMed.Cds";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Calls = Meter.CreateCounter<long>("precisionmed.cds.calls", description: "CDS Hooks calls by service and status");
    private static readonly Counter<long> Cards = Meter.CreateCounter<long>("precisionmed.cds.cards", description: "Cards returned by service and card kind");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("precisionmed.cds.duration", "ms", "Time to answer a CDS Hooks call");

    private readonly PgxPrescribingService _pgx;
    private readonly GeneticTestGovernanceService _governance;
    private readonly CdsCaller _caller;
    private readonly ILogger<CdsServiceEndpoint> _logger;

    internal CdsServiceEndpoint(PgxPrescribingService pgx, GeneticTestGovernanceService governance, CdsCaller caller, ILogger<CdsServiceEndpoint> logger)
    {
        _pgx = pgx;
        _governance = governance;
        _caller = caller;
        _logger = logger;
    }

    public string Name => "CdsServiceFunction";

    public IReadOnlyList<string> Methods { get; } = ["POST"];

    public string Route => "cds-services/{id}";

    /// <summary>EHRs authenticate with their JWT, not a function key.</summary>
    public bool NeedsFunctionKey => false;

    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var clock = Stopwatch.StartNew();
        var service = CdsServiceCatalog.Find(request.Route("id"));
        var (answer, cards) = await AnswerAsync(request, service, cancellationToken);
        var name = service?.Id ?? "unknown";
        Calls.Add(1, new("service", name), new("status", (int)answer.Status));
        foreach (var card in cards) Cards.Add(1, new("service", name), new("kind", card.Source.Topic?.Code ?? "none"));
        Duration.Record(clock.Elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("service", name));
        Answered(_logger, name, (int)answer.Status, cards.Count, clock.ElapsedMilliseconds);
        return answer;
    }

    private async Task<(ApiResponse Answer, IReadOnlyList<CdsCard> Cards)> AnswerAsync(ApiRequest request, CdsServiceDefinition? service, CancellationToken cancellationToken)
    {
        if (service is null) return (ApiResponse.Error(HttpStatusCode.NotFound, "no CDS service has this id; GET /api/cds-services lists them"), []);
        if (await _caller.RefusalAsync(request, service.Id, cancellationToken) is { } refusal) return (refusal, []);
        var (hook, error) = CdsHookRequest.Parse(request.Body.Span, service);
        if (hook is null) return (ApiResponse.Error(HttpStatusCode.BadRequest, error!), []);
        CdsResponse response;
        try
        {
            response = CdsServiceCatalog.CapabilityOf(service) == CdsServiceCatalog.PgxPrescribing
                ? await _pgx.AnswerAsync(hook, cancellationToken)
                : await _governance.AnswerAsync(hook, cancellationToken);
        }
        catch (CdsFetchException missing)
        {
            // CDS Hooks: 412 when the service cannot get the FHIR data it needs, by prefetch or from the FHIR server.
            return (ApiResponse.Error(HttpStatusCode.PreconditionFailed, $"the FHIR data this service needs was neither prefetched nor read: {missing.Message}"), []);
        }

        var breaches = response.Cards.SelectMany(CdsCardRules.Breaches).ToList();
        if (breaches.Count > 0) throw new InvalidOperationException($"{service.Id} built a card that breaks the CDS Hooks rules: {string.Join("; ", breaches)}");
        return (ApiResponse.Json(HttpStatusCode.OK, response), response.Cards);
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "CDS service {Service} answered {Status} with {Cards} card(s) in {Milliseconds} ms")]
    private static partial void Answered(ILogger logger, string service, int status, int cards, long milliseconds);
}
