using System.Text.Json;

namespace PrecisionMed.Validation;

/// <summary>One Bundle.entry that holds a resource, as read from the bundle's JSON.</summary>
internal sealed record BundleEntry(int Index, string? FullUrl, string? ResourceType, string? Id, JsonElement Resource)
{
    /// <summary>"ResourceType/id", or "ResourceType/(entry N)" when the resource has no id.</summary>
    public string Key => $"{ResourceType ?? "(no resourceType)"}/{Id ?? $"(entry {Index})"}";

    public static BundleEntry Read(int index, JsonElement entry, JsonElement resource) =>
        new(index, StringProperty(entry, "fullUrl"), StringProperty(resource, "resourceType"), StringProperty(resource, "id"), resource);

    public static string? StringProperty(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
