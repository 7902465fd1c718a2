using System.Text.Json.Nodes;

namespace PrecisionMed.Core.Genomics.Operations;

/// <summary>Reads the resources an answer returns, each reference once per answer; a resource the FHIR service no longer
/// has is left out (the index may lag a deletion).</summary>
internal sealed class ResourceReader(IFhirResourceSource source)
{
    private readonly Dictionary<string, JsonObject?> _read = new(StringComparer.Ordinal);

    /// <summary>One parameter (<c>{name, resource}</c>) per distinct reference, in the order given.</summary>
    public async Task<List<JsonObject>> PartsAsync(IEnumerable<(string Name, string Reference)> references, CancellationToken cancellationToken)
    {
        var parts = new List<JsonObject>();
        var seen = new HashSet<(string, string)>();
        foreach (var (name, reference) in references)
        {
            if (!seen.Add((name, reference))) continue;
            if (!_read.TryGetValue(reference, out var resource))
            {
                _read[reference] = resource = await source.ReadAsync(reference, cancellationToken).ConfigureAwait(false);
            }

            if (resource is not null) parts.Add(ParametersJson.Resource(name, (JsonObject)resource.DeepClone()));
        }

        return parts;
    }
}
