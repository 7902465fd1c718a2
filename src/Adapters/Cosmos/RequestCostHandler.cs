using System.Globalization;
using Microsoft.Azure.Cosmos;
using PrecisionMed.Core.Genomics.Operations;

namespace PrecisionMed.Adapters.Cosmos;

/// <summary>
/// Counts every request the Cosmos DB client sends (with the request charge it was answered with) into the operation
/// call in progress (<see cref="OperationCost"/>), so an endpoint can say what its answer cost in store requests.
/// </summary>
internal sealed class RequestCostHandler : RequestHandler
{
    public override async Task<ResponseMessage> SendAsync(RequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var charge = response.Headers["x-ms-request-charge"];
        OperationCost.CountStoreRequest(double.TryParse(charge, NumberStyles.Float, CultureInfo.InvariantCulture, out var units) ? units : 0);
        return response;
    }
}
