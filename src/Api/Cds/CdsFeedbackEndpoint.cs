using System.Diagnostics.Metrics;
using System.Net;
using PrecisionMed.Core.Cds;
using PrecisionMed.Core.Cds.Feedback;

namespace PrecisionMed.Api.Cds;

/// <summary>
/// CDS Hooks feedback, <c>POST /api/cds-services/{id}/feedback</c>: each card's outcome (accepted, or overridden with
/// its reason's code) stored without PHI and counted as a metric by service, card kind and outcome. Same JWT rule as
/// the service.
/// </summary>
public sealed class CdsFeedbackEndpoint : IApiEndpoint
{
    private static readonly Meter Meter = new(CdsServiceEndpoint.MeterName);
    private static readonly Counter<long> Outcomes = Meter.CreateCounter<long>("precisionmed.cds.feedback", description: "Card outcomes by service, card kind and outcome");

    private readonly ICdsFeedbackStore _store;
    private readonly CdsCaller _caller;

    internal CdsFeedbackEndpoint(ICdsFeedbackStore store, CdsCaller caller)
    {
        _store = store;
        _caller = caller;
    }

    public string Name => "CdsFeedbackFunction";

    public IReadOnlyList<string> Methods { get; } = ["POST"];

    public string Route => "cds-services/{id}/feedback";

    public bool NeedsFunctionKey => false;

    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (CdsServiceCatalog.Find(request.Route("id")) is not { } service) return ApiResponse.Error(HttpStatusCode.NotFound, "no CDS service has this id; GET /api/cds-services lists them");
        if (await _caller.RefusalAsync(request, service.Id, cancellationToken) is { } refusal) return refusal;
        var (records, error) = CdsFeedbackReader.Read(request.Body.Span, service.Id);
        if (records is null) return ApiResponse.Error(HttpStatusCode.BadRequest, error!);
        await _store.AddAsync(records, cancellationToken);
        foreach (var record in records) Outcomes.Add(1, new("service", record.Service), new("kind", record.Kind), new("outcome", record.Outcome));
        return ApiResponse.Json(HttpStatusCode.OK, new FeedbackStored(records.Count));
    }

    private sealed record FeedbackStored(int Stored);
}
