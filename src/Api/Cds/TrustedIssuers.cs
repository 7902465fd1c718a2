namespace PrecisionMed.Api.Cds;

/// <summary>
/// The EHRs allowed to call the CDS services: per issuer (<c>iss</c>) the JWKS URL its keys are read from. Written as
/// one app setting, <c>Cds__TrustedIssuers</c> = <c>issuer|jwks-url;issuer|jwks-url</c>.
/// </summary>
internal sealed class TrustedIssuers
{
    private readonly Dictionary<string, Uri> _jwks;

    public TrustedIssuers(string setting)
    {
        _jwks = new Dictionary<string, Uri>(StringComparer.Ordinal);
        foreach (var pair in (setting ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bar = pair.LastIndexOf('|');
            if (bar <= 0 || !Uri.TryCreate(pair[(bar + 1)..].Trim(), UriKind.Absolute, out var jwks) || !(jwks.Scheme == "https" || (jwks.Scheme == "http" && jwks.IsLoopback)))
                throw new FormatException($"Cds:TrustedIssuers entry {pair} is not issuer|jwks-url (an absolute https URL; http on loopback only)");
            _jwks[pair[..bar].Trim()] = jwks;
        }
    }

    public int Count => _jwks.Count;

    /// <summary>The issuer's JWKS URL, or null when the issuer is not trusted.</summary>
    public Uri? JwksOf(string issuer) => _jwks.GetValueOrDefault(issuer);
}
