using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PrecisionMed.Api.Cds;

/// <summary>
/// The trusted issuers' key sets, fetched over HTTP and kept for <see cref="Lifetime"/>; fetched again early when a token
/// names a key id the cached set lacks (the EHR rotated its keys), at most once per <see cref="RefetchGap"/> per URL.
/// Each key is decoded when its set is fetched (<see cref="JwkVerifier"/>), not per token.
/// </summary>
internal sealed class JwksCache(HttpClient http, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    public static readonly TimeSpan RefetchGap = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<Uri, (DateTimeOffset Fetched, IReadOnlyList<JwkVerifier> Keys)> _sets = new();

    public async Task<IReadOnlyList<JwkVerifier>> KeysAsync(Uri jwks, string? kid, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_sets.TryGetValue(jwks, out var cached)
            && now - cached.Fetched < Lifetime
            && (kid is null || cached.Keys.Any(k => k.Kid == kid) || now - cached.Fetched < RefetchGap))
            return cached.Keys;

        using var response = await http.GetAsync(jwks, cancellationToken);
        if (!response.IsSuccessStatusCode) throw new JwksUnavailableException($"the issuer's JWKS answered {(int)response.StatusCode}");
        JsonObject? set;
        try
        {
            set = JsonNode.Parse(await response.Content.ReadAsStreamAsync(cancellationToken)) as JsonObject;
        }
        catch (JsonException)
        {
            set = null;
        }

        if (set?["keys"] is not JsonArray keys) throw new JwksUnavailableException("the issuer's JWKS is not a JSON key set");
        var list = keys.OfType<JsonObject>().Select(JwkVerifier.From).OfType<JwkVerifier>().ToList();
        _sets[jwks] = (now, list);
        return list;
    }
}

internal sealed class JwksUnavailableException(string message) : Exception(message);
