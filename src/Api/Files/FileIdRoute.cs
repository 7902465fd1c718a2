using System.Net;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Api.Files;

/// <summary>
/// The <c>{fileId}</c> of a files route: a ledger id (a UUID the app derives) has the shape of a FHIR id, so any other
/// value is refused (400) before the ledger is read, and only a value of that short shape is ever quoted back.
/// </summary>
internal static class FileIdRoute
{
    /// <summary>The route's file id, or the 400 that refuses it (naming the field, quoting nothing).</summary>
    public static (string? FileId, ApiResponse? Refusal) Of(ApiRequest request)
    {
        var fileId = request.Route("fileId");
        return FhirIds.IsId(fileId)
            ? (fileId, null)
            : (null, ApiResponse.Error(HttpStatusCode.BadRequest, $"fileId must be a ledger file id: {FhirIds.Shape}."));
    }
}
