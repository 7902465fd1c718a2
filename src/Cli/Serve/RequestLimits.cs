using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using PrecisionMed.Api;

namespace PrecisionMed.Cli.Serve;

/// <summary>
/// The request line and header limits of <c>pmed serve</c>, answered with the API's JSON error (<c>{"error": ...}</c>).
/// Kestrel answers a request past its own limits before any middleware runs, with an empty body (414, 431), so its limits
/// are set to <see cref="KestrelFactor"/> times these and <see cref="Refusal"/> answers the requests between. A request past
/// Kestrel's raised limits, or one that is not HTTP at all (a malformed request line or header), still gets Kestrel's
/// bodiless 400, 414 or 431: nothing of the app runs for it.
/// </summary>
internal static class RequestLimits
{
    /// <summary>The longest path and query answered: Kestrel's default for the whole request line.</summary>
    public const int MaxTargetLength = 8_192;

    /// <summary>The most header bytes answered (names, values and 4 bytes of separators a line): Kestrel's default.</summary>
    public const int MaxHeaderBytes = 32_768;

    /// <summary>The most header lines answered: Kestrel's default.</summary>
    public const int MaxHeaderCount = 100;

    private const int KestrelFactor = 4;

    public static void RaiseKestrelLimits(KestrelServerLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.MaxRequestLineSize = KestrelFactor * MaxTargetLength;
        limits.MaxRequestHeadersTotalSize = KestrelFactor * MaxHeaderBytes;
        limits.MaxRequestHeaderCount = KestrelFactor * MaxHeaderCount;
    }

    /// <summary>The 414 or 431 for a request past the limits, naming the limit and quoting nothing of the request; else null.</summary>
    public static ApiResponse? Refusal(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;
        if (target.Length > MaxTargetLength)
            return ApiResponse.Error(HttpStatusCode.RequestUriTooLong,
                $"The request's path and query are longer than this server accepts ({MaxTargetLength.ToString("N0", CultureInfo.InvariantCulture)} characters).");
        long bytes = 0;
        var count = 0;
        foreach (var (name, values) in context.Request.Headers)
        {
            foreach (var value in values)
            {
                count++;
                bytes += name.Length + (value?.Length ?? 0) + 4;
            }
        }

        return count > MaxHeaderCount || bytes > MaxHeaderBytes
            ? ApiResponse.Error(HttpStatusCode.RequestHeaderFieldsTooLarge,
                $"The request's headers are larger than this server accepts ({MaxHeaderCount} lines, {MaxHeaderBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes).")
            : null;
    }
}
