using System.Net;
using Microsoft.Extensions.Configuration;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Api.Files;

/// <summary>
/// <c>GET /api/files/{fileId}[?include=fileName]</c>: a file's ledger record and its units, without the lab's file name
/// (nor any path or text quoting it) unless an operator asks for it (see <see cref="FileNameAccess"/>). An id of another
/// shape than the ledger's is refused (<see cref="FileIdRoute"/>); an unknown one is 404, neither quoted back.
/// </summary>
public sealed class FileStatusEndpoint(LabFileStatusReader reader, IConfiguration configuration) : FileLedgerReadEndpoint(configuration)
{
    public override string Name => "FileStatusFunction";

    public override string Route => "files/{fileId}";

    protected override async Task<ApiResponse> AnswerAsync(ApiRequest request, FileNameDisclosure names, CancellationToken cancellationToken)
    {
        var (fileId, refusal) = FileIdRoute.Of(request);
        if (refusal is not null) return refusal;
        var status = await reader.ReadAsync(fileId!, names, cancellationToken);
        return status is null
            ? ApiResponse.Error(HttpStatusCode.NotFound, "No file with this id is in the ledger.")
            : ApiResponse.Json(HttpStatusCode.OK, status);
    }
}
