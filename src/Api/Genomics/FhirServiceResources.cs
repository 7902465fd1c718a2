using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Core.Genomics.Operations;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Api.Genomics;

/// <summary>
/// The FHIR service as the operations' source of the resources they return (one read each, only when asked for). Resolved
/// at the first read: a host without a FHIR service (<c>pmed serve</c> without <c>--fhir</c>) still answers every
/// operation that returns no resource.
/// </summary>
internal sealed class FhirServiceResources(IServiceProvider services) : IFhirResourceSource
{
    public Task<JsonObject?> ReadAsync(string reference, CancellationToken cancellationToken)
    {
        OperationCost.CountFhirRead();
        return services.GetRequiredService<IFhirWriter>().ReadAsync(reference, cancellationToken);
    }
}
