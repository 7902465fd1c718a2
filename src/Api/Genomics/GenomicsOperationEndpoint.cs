using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using PrecisionMed.Api.Files;
using PrecisionMed.Core.Genomics.Operations;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Api.Genomics;

/// <summary>
/// The Genomics Reporting IG's operations at <c>/api/genomics/$&lt;operation&gt;</c>, GET (query parameters) or POST (a
/// FHIR <c>Parameters</c> body), answered with the IG's <c>Parameters</c> or an <c>OperationOutcome</c> (400 naming the
/// parameter, 404 for an unknown operation or subject), which quotes no value and no name the caller made up. Logs name
/// the operation, the status and the time, never a parameter.
/// </summary>
public sealed partial class GenomicsOperationEndpoint(GenomicsOperations operations, GenomicsAccess access, ILogger<GenomicsOperationEndpoint> logger) : IApiEndpoint
{
    public const string FhirJson = "application/fhir+json; charset=utf-8";

    /// <summary>How many store (Cosmos DB) requests the answer took: the operations' cost bound, observable by callers and benchmarks.</summary>
    public const string StoreRequestsHeader = "X-Store-Requests";

    /// <summary>How many FHIR reads the answer took (only when it returns resources).</summary>
    public const string FhirReadsHeader = "X-Fhir-Reads";

    public string Name => "GenomicsOperationFunction";

    public IReadOnlyList<string> Methods { get; } = ["GET", "HEAD", "POST"];

    public string Route => "genomics/{operation}";

    public bool NeedsFunctionKey => true;

    private static readonly Lazy<string> KnownOperations = new(() => string.Join(", ", OperationDefinitions.All.Keys.Order(StringComparer.Ordinal).Select(id => "$" + id)));

    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var cost = OperationCost.Begin();
        var operation = request.Route("operation").TrimStart('$');
        var answer = await AnswerAsync(request, operation, cancellationToken);
        OperationAnswered(logger, OperationDefinitions.Find(operation) is null ? "unknown" : operation, (int)answer.Status, clock.ElapsedMilliseconds,
            cost.StoreRequests, cost.RequestUnits, cost.FhirReads);
        return answer with
        {
            Headers = new Dictionary<string, string>(answer.Headers, StringComparer.OrdinalIgnoreCase)
            {
                [StoreRequestsHeader] = cost.StoreRequests.ToString(CultureInfo.InvariantCulture),
                [FhirReadsHeader] = cost.FhirReads.ToString(CultureInfo.InvariantCulture),
            },
        };
    }

    private async Task<ApiResponse> AnswerAsync(ApiRequest request, string operation, CancellationToken cancellationToken)
    {
        if (OperationDefinitions.Find(operation) is null)
            return Outcome(new OperationError(OperationErrorKind.UnknownOperation, null, null, $"no Genomics Reporting operation has this name; the operations are {KnownOperations.Value}"));
        if (await access.CheckAsync(request, operation, cancellationToken) is { } refusal) return Refused(refusal);

        OperationParse parse;
        if (request.Method == "POST")
        {
            if (StrictJson.ParseObject(request.Body.Span, out var problem) is not { } body)
                return Outcome(new OperationError(OperationErrorKind.Invalid, null, null, $"the body must be a FHIR Parameters resource (JSON); this one {problem}"));
            if (!(body["resourceType"] is JsonValue type && type.TryGetValue<string>(out var name) && name == "Parameters"))
                return Outcome(new OperationError(OperationErrorKind.Invalid, null, null, "the body must be a FHIR Parameters resource (JSON)"));
            parse = OperationRequestParser.FromParameters(operation, body);
        }
        else
        {
            parse = OperationRequestParser.FromQuery(operation, request.Query.SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v))));
        }

        if (parse.Error is { } invalid) return Outcome(invalid);
        var result = await operations.EvaluateAsync(parse.Request!, cancellationToken);
        return result.Error is { } error ? Outcome(error)
            : new ApiResponse(HttpStatusCode.OK, FhirJson, JsonSerializer.SerializeToUtf8Bytes(result.Parameters));
    }

    /// <summary>A refused caller, answered as FHIR answers: an OperationOutcome (login for 401, with the Bearer challenge; forbidden for 403).</summary>
    private static ApiResponse Refused(HttpRefusal refusal)
    {
        var unauthorized = refusal.Status == HttpStatusCode.Unauthorized;
        var issue = new JsonObject { ["severity"] = "error", ["code"] = unauthorized ? "login" : "forbidden", ["diagnostics"] = refusal.Message };
        var outcome = new JsonObject { ["resourceType"] = "OperationOutcome", ["issue"] = new JsonArray(issue) };
        return new ApiResponse(refusal.Status, FhirJson, JsonSerializer.SerializeToUtf8Bytes(outcome))
        {
            Headers = unauthorized ? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["WWW-Authenticate"] = "Bearer" } : new Dictionary<string, string>(),
        };
    }

    private static ApiResponse Outcome(OperationError error) =>
        new((HttpStatusCode)error.StatusCode, FhirJson, JsonSerializer.SerializeToUtf8Bytes(error.ToOperationOutcome()));

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Genomics operation {Operation} answered {Status} in {Milliseconds} ms: {StoreRequests} store requests ({RequestUnits} RU), {FhirReads} FHIR reads")]
    private static partial void OperationAnswered(ILogger logger, string operation, int status, long milliseconds, int storeRequests, double requestUnits, int fhirReads);
}
