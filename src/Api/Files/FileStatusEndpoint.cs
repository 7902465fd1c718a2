using System.Net;
using Microsoft.Extensions.Configuration;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Api.Files;

/// <summary>
/// <c>GET /api/files/{fileId}[?include=fileName]</c>: a file's ledger record and its units, without the lab's file name
/// (nor any path or text quoting it) unless an operator asks for it (see <see cref="FileNameAccess"/>).
/// </summary>
public sealed class FileStatusEndpoint(LabFileStatusReader reader, IConfiguration configuration) : FileLedgerReadEndpoint(configuration)
{
    public override string Name => "FileStatusFunction";

    public override string Route => "files/{fileId}";

    protected override async Task<ApiResponse> AnswerAsync(ApiRequest request, FileNameDisclosure names, CancellationToken cancellationToken)
    {
        var fileId = request.Route("fileId");
        var status = await reader.ReadAsync(fileId, names, cancellationToken);
        return status is null
            ? ApiResponse.Error(HttpStatusCode.NotFound, $"No file with id {fileId} is in the ledger.")
            : ApiResponse.Json(HttpStatusCode.OK, status);
    }
}
