namespace PrecisionMed.Api;

/// <summary>
/// An HTTP request as the app's endpoints see it, whichever host received it: the Functions worker
/// (<c>HttpRequestData</c>) or <c>pmed serve</c> (Kestrel). Each host copies its request into this and writes the
/// <see cref="ApiResponse"/> back, so an endpoint behaves the same behind both.
/// </summary>
/// <param name="Method">Upper-case HTTP method.</param>
/// <param name="RouteValues">The route template's values (<c>{fileId}</c>), already unescaped by the host.</param>
/// <param name="Query">The query string's parameters, each with every value given, in order.</param>
/// <param name="Headers">Request headers, names compared without case.</param>
/// <param name="Body">The request body, read whole (the app's bodies are small JSON documents).</param>
/// <param name="InvocationId">The host's id of this request (the Functions invocation id, Kestrel's trace identifier).</param>
public sealed record ApiRequest(
    string Method,
    IReadOnlyDictionary<string, string> RouteValues,
    IReadOnlyDictionary<string, string[]> Query,
    IReadOnlyDictionary<string, string[]> Headers,
    ReadOnlyMemory<byte> Body,
    string InvocationId)
{
    /// <summary>The largest request body either host reads (Kestrel's default limit); past it the answer is 413 (<see cref="ApiResponse.BodyTooLarge"/>).</summary>
    public const long MaxBodyBytes = 30_000_000;

    /// <summary>The URL the request was sent to, as the host saw it (scheme, host, path); null when the host did not say.</summary>
    public Uri? Url { get; init; }

    /// <summary>
    /// A request body read whole, or null as soon as it is past <see cref="MaxBodyBytes"/> (by its declared length or as
    /// it arrives): a host then answers 413 without reading the rest into memory.
    /// </summary>
    public static async Task<byte[]?> ReadBodyAsync(Stream body, long? declaredLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (declaredLength > MaxBodyBytes) return null;
        using var read = new MemoryStream();
        var buffer = new byte[81_920];
        int count;
        while ((count = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (read.Length + count > MaxBodyBytes) return null;
            read.Write(buffer, 0, count);
        }

        return read.ToArray();
    }

    /// <summary>
    /// The first of <paramref name="names"/> the query gives more than once, or null: a parameter that takes one value is
    /// refused when repeated rather than read by its first value.
    /// </summary>
    public string? RepeatedQuery(IEnumerable<string> names) =>
        names.FirstOrDefault(name => Query.TryGetValue(name, out var values) && values.Length > 1);

    /// <summary>The first value of query parameter <paramref name="name"/>, or null when absent.</summary>
    public string? QueryValue(string name) => Query.TryGetValue(name, out var values) && values.Length > 0 ? values[0] : null;

    /// <summary>
    /// Whether the body came encoded (<c>Content-Encoding</c> other than <c>identity</c>, e.g. gzip): neither host decodes
    /// it, so both answer 415 (<see cref="ApiResponse.EncodedBody"/>) before an endpoint reads the bytes as JSON.
    /// </summary>
    public bool BodyEncoded =>
        Body.Length > 0 && Headers.TryGetValue("Content-Encoding", out var values)
        && values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Any(coding => !coding.Equals("identity", StringComparison.OrdinalIgnoreCase));

    /// <summary>The first value of header <paramref name="name"/>, or null when absent.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var values) && values.Length > 0 ? values[0] : null;

    /// <summary>The value of route parameter <paramref name="name"/>; the route template guarantees it.</summary>
    public string Route(string name) => RouteValues[name];
}
