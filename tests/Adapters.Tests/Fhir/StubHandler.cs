using System.Net;

namespace PrecisionMed.Adapters.Tests.Fhir;

/// <summary>Answers each HTTP request with the next scripted response and records when it came, with its body and content type.</summary>
internal sealed class StubHandler(params Func<HttpResponseMessage>[] script) : HttpMessageHandler
{
    private int _next;

    public List<DateTimeOffset> Requests { get; } = [];

    public List<(byte[] Body, string? ContentType)> Bodies { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(DateTimeOffset.UtcNow);
        if (request.Content is { } content)
            Bodies.Add((await content.ReadAsByteArrayAsync(cancellationToken), content.Headers.ContentType?.ToString()));
        var index = Math.Min(_next++, script.Length - 1);
        return script[index]();
    }

    public static HttpResponseMessage Status(HttpStatusCode status, string body = "{}") =>
        new(status) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/fhir+json") };
}
