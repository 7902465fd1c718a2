using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using PrecisionMed.Api.Cds;
using PrecisionMed.Api.Files;
using PrecisionMed.Api.Genomics;
using PrecisionMed.Api.Health;
using PrecisionMed.Api.Knowledge;

namespace PrecisionMed.Functions.Triggers;

/// <summary>
/// The app's HTTP API as the Functions host serves it, one function per endpoint: its name, method, route and key as the
/// endpoint declares them (<see cref="PrecisionMed.Api.IApiEndpoint"/>; the metadata tests hold the two the same). Each
/// function hands its request to its endpoint through <see cref="ApiBridge"/>, which resolves only that endpoint.
/// No function key on the CDS Hooks service and feedback: the EHR proves itself with its JWT, which the endpoint checks.
/// Discovery and health are open. Every GET function takes HEAD too: the Functions host's server sends GET's status and
/// headers without the body. The host's cancellation reaches the endpoint through the request's function context.
/// </summary>
public static class HttpApiFunctions
{
    [Function("HealthFunction")]
    public static Task<HttpResponseData> HealthAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "health")] HttpRequestData request) => ApiBridge.RunAsync<HealthEndpoint>(request);

    [Function("FileListFunction")]
    public static Task<HttpResponseData> FileListAsync([HttpTrigger(AuthorizationLevel.Function, "get", "head", Route = "files")] HttpRequestData request) => ApiBridge.RunAsync<FileListEndpoint>(request);

    [Function("FileStatusFunction")]
    public static Task<HttpResponseData> FileStatusAsync([HttpTrigger(AuthorizationLevel.Function, "get", "head", Route = "files/{fileId}")] HttpRequestData request, string fileId) => ApiBridge.RunAsync<FileStatusEndpoint>(request, ("fileId", fileId));

    [Function("FileReplayFunction")]
    public static Task<HttpResponseData> FileReplayAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "files/{fileId}/replay")] HttpRequestData request, string fileId) => ApiBridge.RunAsync<FileReplayEndpoint>(request, ("fileId", fileId));

    [Function("ReinterpretationStatusFunction")]
    public static Task<HttpResponseData> ReinterpretationStatusAsync([HttpTrigger(AuthorizationLevel.Function, "get", "head", Route = "reinterpretations")] HttpRequestData request) => ApiBridge.RunAsync<ReinterpretationStatusEndpoint>(request);

    [Function("GenomicsOperationFunction")]
    public static Task<HttpResponseData> GenomicsOperationAsync([HttpTrigger(AuthorizationLevel.Function, "get", "head", "post", Route = "genomics/{operation}")] HttpRequestData request, string operation) => ApiBridge.RunAsync<GenomicsOperationEndpoint>(request, ("operation", operation));

    [Function("CdsDiscoveryFunction")]
    public static Task<HttpResponseData> CdsDiscoveryAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "cds-services")] HttpRequestData request) => ApiBridge.RunAsync<CdsDiscoveryEndpoint>(request);

    [Function("CdsServiceFunction")]
    public static Task<HttpResponseData> CdsServiceAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cds-services/{id}")] HttpRequestData request, string id) => ApiBridge.RunAsync<CdsServiceEndpoint>(request, ("id", id));

    [Function("CdsFeedbackFunction")]
    public static Task<HttpResponseData> CdsFeedbackAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cds-services/{id}/feedback")] HttpRequestData request, string id) => ApiBridge.RunAsync<CdsFeedbackEndpoint>(request, ("id", id));

    [Function("CdsFeedbackCountsFunction")]
    public static Task<HttpResponseData> CdsFeedbackCountsAsync([HttpTrigger(AuthorizationLevel.Function, "get", "head", Route = "cds-feedback")] HttpRequestData request) => ApiBridge.RunAsync<CdsFeedbackCountsEndpoint>(request);
}
