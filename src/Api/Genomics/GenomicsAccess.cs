using System.Net;
using Microsoft.Extensions.Configuration;
using PrecisionMed.Api.Files;
using PrecisionMed.Api.Security;

namespace PrecisionMed.Api.Genomics;

/// <summary>
/// Who may call the Genomics Operations (the index holds PHI): subject operations need the <see cref="SubjectRole"/> app
/// role, population operations <see cref="PopulationRole"/>. The roles come from the caller's Entra ID token, verified
/// here when <see cref="BearerTokenValidator"/> is configured, else from the App Service authentication principal
/// (<c>X-MS-CLIENT-PRINCIPAL</c>, trusted only while App Service authentication is on, as for file names). No caller is
/// 401; a caller without the role 403 naming it. <c>pmed serve</c> on loopback without a token authority sets
/// <see cref="LoopbackSetting"/> and is asked for no role.
/// </summary>
public sealed class GenomicsAccess(IConfiguration configuration, BearerTokenValidator tokens)
{
    public const string SubjectRole = "Genomics.Read";
    public const string PopulationRole = "Genomics.Population";
    public const string LoopbackSetting = "Api:LoopbackOnly";

    /// <summary>Null when the caller may run the operation; else the refusal.</summary>
    internal async Task<HttpRefusal?> CheckAsync(ApiRequest request, string operation, CancellationToken cancellationToken)
    {
        var role = operation.StartsWith("find-population-", StringComparison.Ordinal) ? PopulationRole : SubjectRole;
        if (tokens.Enabled)
        {
            var check = await tokens.ValidateAsync(request.Header("Authorization"), cancellationToken);
            if (check.Problem is { } problem) return new(HttpStatusCode.Unauthorized, $"${operation} needs a signed-in caller with the {role} app role: {problem}.");
            return check.Roles!.Contains(role) ? null
                : new(HttpStatusCode.Forbidden, $"${operation} needs a caller with the {role} app role; this caller's token has not got it.");
        }

        if (string.Equals(configuration[LoopbackSetting], "true", StringComparison.OrdinalIgnoreCase)) return null;
        if (!string.Equals(configuration[FileNameAccess.AuthEnabledSetting], "true", StringComparison.OrdinalIgnoreCase))
            return new(HttpStatusCode.Forbidden, $"${operation} needs a caller with the {role} app role, and App Service authentication is not enabled on this app, so no role can be checked.");
        if (request.Header(FileNameAccess.PrincipalHeader) is not { Length: > 0 })
            return new(HttpStatusCode.Unauthorized, $"${operation} needs a signed-in caller (Entra ID) with the {role} app role.");
        return FileNameAccess.RolesOf(request).Contains(role) ? null
            : new(HttpStatusCode.Forbidden, $"${operation} needs a caller with the {role} app role; this caller has not got it.");
    }
}
