using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Api.Files;

/// <summary>
/// Whether a status request may see lab file names (labs often name files after patients): only when it asks
/// (<c>?include=fileName</c>) and its caller is an operator, i.e. the App Service authentication principal in
/// <c>X-MS-CLIENT-PRINCIPAL</c> has the <see cref="OperatorRole"/> app role. That header is trusted only while App
/// Service authentication is on (<c>WEBSITE_AUTH_ENABLED</c>): then the platform strips any a caller sent and sets
/// its own; without it anyone holding a function key could write one.
/// </summary>
internal static class FileNameAccess
{
    public const string OperatorRole = "PrecisionMed.Operator";
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";
    public const string AuthEnabledSetting = "WEBSITE_AUTH_ENABLED";
    public const string IncludeParameter = "include";
    private const string FileNameInclude = "fileName";

    /// <summary>What the request may see, or why it may not see what it asked for (a 400 or 403 answer).</summary>
    public static (FileNameDisclosure Names, HttpRefusal? Refusal) Of(ApiRequest request, IConfiguration configuration)
    {
        if (request.QueryValue(IncludeParameter) is not { Length: > 0 } include) return (FileNameDisclosure.Withheld, null);
        var asked = include.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // Nothing named (include=,,) is a malformed request, not a request for names to refuse.
        if (asked.Length == 0 || asked.Any(a => !a.Equals(FileNameInclude, StringComparison.OrdinalIgnoreCase)))
            return (FileNameDisclosure.Withheld, new(HttpStatusCode.BadRequest, $"include accepts only {FileNameInclude}."));

        if (!string.Equals(configuration[AuthEnabledSetting], "true", StringComparison.OrdinalIgnoreCase))
            return (FileNameDisclosure.Withheld, new(HttpStatusCode.Forbidden,
                $"include={FileNameInclude} needs a caller with the {OperatorRole} app role, and App Service authentication is not enabled on this app, so no role can be checked. File names are withheld: labs often name files after patients."));

        if (!RolesOf(request).Contains(OperatorRole))
            return (FileNameDisclosure.Withheld, new(HttpStatusCode.Forbidden,
                $"include={FileNameInclude} needs a caller with the {OperatorRole} app role; this caller has not got it. File names are withheld: labs often name files after patients."));

        return (FileNameDisclosure.Shown, null);
    }

    /// <summary>
    /// The app roles in the principal header: base64 JSON <c>{"auth_typ","claims":[{"typ","val"}],"name_typ","role_typ"}</c>,
    /// roles being the claims of type <c>role_typ</c> (or Entra's <c>roles</c>). None when absent or malformed.
    /// </summary>
    internal static IReadOnlySet<string> RolesOf(ApiRequest request)
    {
        if (request.Header(PrincipalHeader) is not { Length: > 0 } header) return new HashSet<string>();
        try
        {
            using var json = JsonDocument.Parse(Convert.FromBase64String(header));
            var root = json.RootElement;
            var roleType = root.TryGetProperty("role_typ", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            var roles = new HashSet<string>(StringComparer.Ordinal);
            if (!root.TryGetProperty("claims", out var claims) || claims.ValueKind != JsonValueKind.Array) return roles;
            foreach (var claim in claims.EnumerateArray())
            {
                if (claim.ValueKind != JsonValueKind.Object) continue;
                var type = claim.TryGetProperty("typ", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                var value = claim.TryGetProperty("val", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                if (value is not null && (type == roleType || type is "roles" or ClaimTypes.Role)) roles.Add(value);
            }

            return roles;
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return new HashSet<string>();
        }
    }
}

/// <summary>An HTTP refusal: its status and the message the caller reads.</summary>
internal sealed record HttpRefusal(HttpStatusCode Status, string Message)
{
    public ApiResponse ToResponse() => ApiResponse.Error(Status, Message);
}
