using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PrecisionMed.Api;

/// <summary>What an endpoint answers: status, content type and body, written out by the host that received the request.</summary>
public sealed record ApiResponse(HttpStatusCode Status, string ContentType, ReadOnlyMemory<byte> Body)
{
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>Headers beside the content type (never anything a request carried).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Indented camel-case JSON with enum names and no nulls: the status API's shape since it was first written.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary><paramref name="body"/> as JSON (<see cref="JsonOptions"/>).</summary>
    public static ApiResponse Json(HttpStatusCode status, object body) =>
        new(status, JsonContentType, JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), JsonOptions));

    /// <summary>An error answer: <c>{"error": message}</c>.</summary>
    public static ApiResponse Error(HttpStatusCode status, string message) => Json(status, new ErrorBody(message));

    /// <summary>413: the body is past <see cref="ApiRequest.MaxBodyBytes"/>.</summary>
    public static ApiResponse BodyTooLarge() => Error(
        HttpStatusCode.RequestEntityTooLarge,
        $"The request body is larger than this server accepts ({ApiRequest.MaxBodyBytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} bytes).");

    /// <summary>415: the body came compressed (<see cref="ApiRequest.BodyEncoded"/>); <c>Accept-Encoding</c> names what is taken (RFC 9110 15.5.16).</summary>
    public static ApiResponse EncodedBody() => Error(
        HttpStatusCode.UnsupportedMediaType, "The request body's Content-Encoding is not accepted; send the body uncompressed.") with
    {
        Headers = new Dictionary<string, string> { ["Accept-Encoding"] = "identity" },
    };

    /// <summary>
    /// 503: a service the endpoint needs (Cosmos DB, Storage, the FHIR server) could not be reached or refused it:
    /// <c>{"error": ..., "service": "Cosmos DB"}</c>, naming the service and what failed (a status, a network error),
    /// never its URL, a key or anything the request carried.
    /// </summary>
    public static ApiResponse ServiceUnavailable(string? service, string problem) => Json(
        HttpStatusCode.ServiceUnavailable,
        new UnavailableBody($"{service ?? "A service this endpoint needs"} is unavailable ({problem}); try again later.", service));

    private sealed record ErrorBody(string Error);

    private sealed record UnavailableBody(string Error, string? Service);
}
