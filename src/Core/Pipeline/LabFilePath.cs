namespace PrecisionMed.Core.Pipeline;

/// <summary>
/// The lab's identity comes only from the blob path <c>incoming/{labId}/{name}</c> (docs/design.md, "Contracts"), so the path is
/// checked before anything is read: a lab id that is not a plain name (or not one of the configured labs), and a
/// name with <c>..</c>, <c>.</c> or empty segments, a leading <c>/</c>, backslashes or control characters, are
/// refused. Reasons never quote the name (labs put patient names in file names).
/// </summary>
public static class LabFilePath
{
    public const int MaxNameLength = 1024;

    /// <summary>Where a file with an unsafe path is kept: under the file id, never under the name it came with.</summary>
    public const string UnsafePathFolder = "_unsafe-path";

    /// <returns>Why the path is refused, or null when it is acceptable.</returns>
    public static string? Problem(string labId, string blobName, IReadOnlyCollection<string> knownLabs)
    {
        if (!IsPlainLabId(labId))
            return "the lab folder is not a plain lab id (letters, digits, '-', '_' or '.', at most 63 characters)";
        if (knownLabs.Count > 0 && !knownLabs.Contains(labId, StringComparer.OrdinalIgnoreCase))
            return $"lab '{labId}' is not one of the configured labs (Pipeline__KnownLabs)";
        if (string.IsNullOrEmpty(blobName)) return "the blob has no name under the lab folder";
        if (blobName.Length > MaxNameLength) return $"the blob name is longer than {MaxNameLength} characters";
        if (blobName.Any(char.IsControl)) return "the blob name holds control characters";
        if (blobName.Contains('\\', StringComparison.Ordinal)) return "the blob name holds a backslash";
        if (blobName.StartsWith('/')) return "the blob name is absolute (starts with '/')";
        foreach (var segment in blobName.Split('/'))
        {
            if (segment.Length == 0) return "the blob name has an empty path segment ('//' or a trailing '/')";
            if (segment is "." or "..") return $"the blob name has a '{segment}' path segment";
        }

        return null;
    }

    /// <summary>Letters, digits, '-', '_' or '.' (no "..", starting with a letter or digit), at most 63 characters: a blob folder name.</summary>
    public static bool IsPlainLabId(string labId) =>
        labId.Length is > 0 and <= 63
        && char.IsAsciiLetterOrDigit(labId[0])
        && labId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
        && !labId.Contains("..", StringComparison.Ordinal);
}
