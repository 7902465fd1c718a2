using System.Net;

namespace PrecisionMed.Adapters.Tests.Fhir;

/// <summary>Answers each HTTP request with the next scripted response and records when it came.</summary>
internal sealed class StubHandler(params Func<HttpResponseMessage>[] script) : HttpMessageHandler
{
    private int _next;

    public List<DateTimeOffset> Requests { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(DateTimeOffset.UtcNow);
        var index = Math.Min(_next++, script.Length - 1);
        return Task.FromResult(script[index]());
    }

    public static HttpResponseMessage Status(HttpStatusCode status, string body = "{}") =>
        new(status) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/fhir+json") };
}
