using System.Text.Json.Nodes;

namespace PrecisionMed.Core.LabReports;

/// <summary>A FHIR R4 Bundle as a lab sent it: its entries in order, each resource as JSON.</summary>
public sealed record LabBundle(string BundleType, string? Identifier, IReadOnlyList<LabBundleEntry> Entries);

/// <summary>One entry of a lab's bundle.</summary>
/// <param name="Index">The entry's position in <c>Bundle.entry</c>.</param>
/// <param name="FullUrl">The lab's fullUrl, if any (absolute URL or <c>urn:uuid:</c>).</param>
/// <param name="Resource">The resource; callers that change it work on a deep copy.</param>
public sealed record LabBundleEntry(int Index, string? FullUrl, string ResourceType, string? Id, JsonObject Resource)
{
    /// <summary><c>Type/id</c> when the resource has an id.</summary>
    public string? RelativeReference => Id is null ? null : $"{ResourceType}/{Id}";

    public string Path => $"Bundle.entry[{Index}].resource";
}
