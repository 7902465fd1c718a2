using System.ComponentModel.DataAnnotations;

namespace PrecisionMed.Adapters.Settings;

/// <summary>
/// A service endpoint setting: an absolute http or https URL. The configuration binder turns any text into a
/// <see cref="Uri"/> (a relative one, or a file path), so a mistyped endpoint would otherwise surface at the first request.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class HttpUrlAttribute() : ValidationAttribute("{0} must be an absolute http or https URL")
{
    public override bool IsValid(object? value) =>
        value is null
        || value is Uri { IsAbsoluteUri: true } url && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp) && url.Host.Length > 0;
}
