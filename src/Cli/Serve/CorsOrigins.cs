using System.Net;
using Microsoft.AspNetCore.Http;

namespace PrecisionMed.Cli.Serve;

/// <summary>
/// The browser origins <c>pmed serve</c> lets call its API (<c>--cors-origin</c>, as the Function App's CORS setting does in
/// Azure: <c>corsAllowedOrigins</c> in infra/bicep/main.bicep). CDS Hooks says browser-based CDS clients (the CDS Hooks
/// sandbox, a SMART app) need CORS. The API authenticates with bearer tokens and keys, never cookies, so no credentials
/// are allowed and <c>*</c> is safe to give; none given, no CORS header is sent and browsers keep their same-origin rule.
/// </summary>
internal sealed class CorsOrigins(IReadOnlyList<string> origins)
{
    /// <summary>What a preflight may ask for: the API's methods and the two request headers its clients send.</summary>
    private const string AllowedMethods = "GET, POST, OPTIONS";
    private const string AllowedHeaders = "Authorization, Content-Type";

    public bool Any => origins.Count > 0;

    /// <summary>Whether a value is an origin the option takes: <c>*</c>, or <c>http(s)://host[:port]</c> with nothing after it.</summary>
    public static bool IsOrigin(string value) =>
        value == "*"
        || Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            && uri.GetLeftPart(UriPartial.Authority).Equals(value.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Adds the CORS headers to a request from an allowed origin, and answers its preflight (204); a preflight from an origin
    /// not allowed is answered 403 naming the option. True when the request is answered here.
    /// </summary>
    public async Task<bool> AnswerAsync(HttpContext context, Func<HttpContext, Task> refuse)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (!Any || request.Headers.Origin is not [{ } origin]) return false;
        var preflight = HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey("Access-Control-Request-Method");
        var allowed = origins.Contains("*") ? "*" : origins.FirstOrDefault(o => string.Equals(o.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase)) is not null ? origin : null;
        if (allowed is null)
        {
            if (!preflight) return false;
            await refuse(context);
            return true;
        }

        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = allowed;
        if (allowed != "*") headers.Vary = "Origin";
        if (!preflight) return false;
        headers.AccessControlAllowMethods = AllowedMethods;
        headers.AccessControlAllowHeaders = AllowedHeaders;
        headers.AccessControlMaxAge = "600";
        context.Response.StatusCode = (int)HttpStatusCode.NoContent;
        return true;
    }
}
