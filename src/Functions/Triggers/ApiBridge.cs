using System.Collections.Specialized;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PrecisionMed.Adapters;
using PrecisionMed.Api;

namespace PrecisionMed.Functions.Triggers;

/// <summary>
/// The Functions worker as a host of the app's endpoints: its request copied into an <see cref="ApiRequest"/>, the answer
/// written back; a service the endpoint could not reach or was refused by (<see cref="ServiceFailure"/>) answered 503.
/// </summary>
internal static partial class ApiBridge
{
    /// <summary>
    /// Answers <paramref name="request"/> with the invocation's <typeparamref name="TEndpoint"/> and the route's values, until
    /// the host cancels the invocation.
    /// </summary>
    public static Task<HttpResponseData> RunAsync<TEndpoint>(HttpRequestData request, params (string Name, string Value)[] routeValues)
        where TEndpoint : IApiEndpoint
    {
        var values = new Dictionary<string, string>(routeValues.Length, StringComparer.Ordinal);
        foreach (var (name, value) in routeValues) values[name] = value;
        var context = request.FunctionContext;
        return RunAsync(context.InstanceServices.GetRequiredService<TEndpoint>(), request, values, context.CancellationToken);
    }

    private static async Task<HttpResponseData> RunAsync(
        IApiEndpoint endpoint, HttpRequestData request, IReadOnlyDictionary<string, string> routeValues, CancellationToken cancellationToken)
    {
        var apiRequest = await ToApiRequestAsync(request, routeValues, cancellationToken);
        ApiResponse answer;
        try
        {
            answer = apiRequest is null ? ApiResponse.BodyTooLarge()
                : apiRequest.BodyEncoded ? ApiResponse.EncodedBody()
                : await endpoint.HandleAsync(apiRequest, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ServiceFailure.Of(ex) is { } failure)
        {
            // A service the endpoint needs failed: 503 naming it, as pmed serve answers. The host logs other exceptions itself.
            ServiceUnavailable(request.FunctionContext.GetLogger(typeof(ApiBridge).FullName!), endpoint.Name, failure.Service ?? "an unnamed service", failure.Problem);
            answer = ApiResponse.ServiceUnavailable(failure.Service, failure.Problem);
        }

        var response = request.CreateResponse(answer.Status);
        response.Headers.Add("Content-Type", answer.ContentType);
        foreach (var (name, value) in answer.Headers) response.Headers.Add(name, value);
        await response.Body.WriteAsync(answer.Body, cancellationToken);
        return response;
    }

    /// <summary>The request as the endpoints take it, or null when its body is past <see cref="ApiRequest.MaxBodyBytes"/> (as pmed serve answers: 413).</summary>
    private static async Task<ApiRequest?> ToApiRequestAsync(
        HttpRequestData request, IReadOnlyDictionary<string, string> routeValues, CancellationToken cancellationToken)
    {
        var declared = request.Headers.TryGetValues("Content-Length", out var lengths)
            && long.TryParse(lengths.FirstOrDefault(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length) ? length : (long?)null;
        if (await ApiRequest.ReadBodyAsync(request.Body, declared, cancellationToken) is not { } body) return null;
        var headers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers) headers[name] = [.. values];
        return new ApiRequest(
            request.Method.ToUpperInvariant(), routeValues, QueryOf(request.Query), headers,
            body, request.FunctionContext.InvocationId)
        {
            Url = request.Url,
        };
    }

    [LoggerMessage(EventId = 7201, Level = LogLevel.Warning, Message = "{Function} answered 503: {Service} failed ({Problem})")]
    private static partial void ServiceUnavailable(ILogger logger, string function, string service, string problem);

    private static Dictionary<string, string[]> QueryOf(NameValueCollection query)
    {
        var parameters = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var name in query.AllKeys)
        {
            if (name is not null && query.GetValues(name) is { } values) parameters[name] = values;
        }

        return parameters;
    }
}
