using System.Text.Json.Nodes;
using PrecisionMed.Core.Genomics.Operations;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Api.Genomics;

/// <summary>The FHIR service as the operations' source of the resources they return (one read each, only when asked for).</summary>
internal sealed class FhirServiceResources(IFhirWriter fhir) : IFhirResourceSource
{
    public Task<JsonObject?> ReadAsync(string reference, CancellationToken cancellationToken) => fhir.ReadAsync(reference, cancellationToken);
}
