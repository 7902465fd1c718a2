using System.Net;
using Microsoft.Extensions.Configuration;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Api.Files;

/// <summary>
/// A GET of the ledger's file records, behind the function key. A record may hold the lab's file name (labs name files
/// by sample, accession or even patient), so each answer first asks whether the caller may have names
/// (<see cref="FileNameAccess"/>), and refuses or leaves them out. Each query parameter takes one value: a repeated one is 400.
/// A parameter the endpoint does not read is 400 too, listing those it reads: a misspelt filter (<c>?stat=Failed</c>) would
/// otherwise answer as if none were given. The answer does not repeat the name sent, which could be anything a caller typed.
/// </summary>
public abstract class FileLedgerReadEndpoint(IConfiguration configuration) : IApiEndpoint
{
    public abstract string Name { get; }

    public IReadOnlyList<string> Methods { get; } = ["GET", "HEAD"];

    public abstract string Route { get; }

    public bool NeedsFunctionKey => true;

    /// <summary>Where the Functions host reads a function key from the query (beside the x-functions-key header): never refused.</summary>
    public const string FunctionKeyParameter = "code";

    /// <summary>The query parameters the endpoint reads, each taking one value.</summary>
    protected virtual IReadOnlyList<string> QueryParameters { get; } = [FileNameAccess.IncludeParameter];

    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Query.Keys.Any(name => !QueryParameters.Contains(name, StringComparer.Ordinal) && name != FunctionKeyParameter))
            return ApiResponse.Error(HttpStatusCode.BadRequest, $"A query parameter this endpoint does not read was given; it reads {string.Join(", ", QueryParameters)}.");
        if (request.RepeatedQuery(QueryParameters) is { } repeated)
            return ApiResponse.Error(HttpStatusCode.BadRequest, $"{repeated} is given more than once; give it once.");
        var (names, refusal) = FileNameAccess.Of(request, configuration);
        return refusal is not null ? refusal.ToResponse() : await AnswerAsync(request, names, cancellationToken);
    }

    /// <summary>The answer to a caller who may have it, with the file names <paramref name="names"/> allows.</summary>
    protected abstract Task<ApiResponse> AnswerAsync(ApiRequest request, FileNameDisclosure names, CancellationToken cancellationToken);
}
