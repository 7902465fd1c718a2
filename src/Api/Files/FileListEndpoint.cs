using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Api.Files;

/// <summary>
/// <c>GET /api/files?state=Failed&amp;pageSize=50&amp;continuation=...[&amp;include=fileName]</c>: the ledger's files,
/// optionally in one state, a page at a time, each with its units counted by state and its last problem. The answer's
/// <c>continuation</c>, passed back, gives the next page. No lab file names unless an operator asks, as for
/// <see cref="FileStatusEndpoint"/> (see <see cref="FileNameAccess"/>). pageSize is plain digits (no sign, space or
/// separator), each parameter given once.
/// </summary>
public sealed class FileListEndpoint(LabFileStatusReader reader, IConfiguration configuration) : FileLedgerReadEndpoint(configuration)
{
    public override string Name => "FileListFunction";

    public override string Route => "files";

    protected override IReadOnlyList<string> QueryParameters { get; } = ["state", "pageSize", "continuation", FileNameAccess.IncludeParameter];

    protected override async Task<ApiResponse> AnswerAsync(ApiRequest request, FileNameDisclosure names, CancellationToken cancellationToken)
    {
        FileState? state = null;
        if (request.QueryValue("state") is { Length: > 0 } stateText)
        {
            if (!Enum.TryParse<FileState>(stateText, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                return ApiResponse.Error(HttpStatusCode.BadRequest, $"state must be one of {string.Join(", ", Enum.GetNames<FileState>())}.");
            state = parsed;
        }

        var pageSize = LabFileStatusReader.DefaultPageSize;
        if (request.QueryValue("pageSize") is { Length: > 0 } sizeText
            && !(sizeText.Length <= 9 && sizeText.All(char.IsAsciiDigit)
                && int.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) && pageSize >= 1 && pageSize <= LabFileStatusReader.MaxPageSize))
            return ApiResponse.Error(HttpStatusCode.BadRequest, $"pageSize must be a number from 1 to {LabFileStatusReader.MaxPageSize}.");

        var continuation = request.QueryValue("continuation") is { Length: > 0 } given ? given : null;
        try
        {
            return ApiResponse.Json(HttpStatusCode.OK, await reader.ListAsync(state, pageSize, continuation, names, cancellationToken));
        }
        catch (InvalidContinuationException)
        {
            return ApiResponse.Error(HttpStatusCode.BadRequest, "continuation must be the continuation a previous page answered, unchanged; leave it out to start from the first page.");
        }
    }
}
