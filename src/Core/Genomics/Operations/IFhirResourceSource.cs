using System.Text.Json.Nodes;

namespace PrecisionMed.Core.Genomics.Operations;

/// <summary>
/// Where the operations read the FHIR resources they return (a variant, genotype or implication Observation): the host
/// supplies it (the FHIR service). Called only for the resources an answer returns, one read each.
/// </summary>
public interface IFhirResourceSource
{
    /// <summary>The resource (<c>Observation/id</c>), or null when the FHIR service no longer has it.</summary>
    Task<JsonObject?> ReadAsync(string reference, CancellationToken cancellationToken);
}
