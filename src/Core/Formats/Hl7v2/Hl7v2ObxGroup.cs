namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>The OBX rows of one OBX-4 sub-ID, in message order.</summary>
internal sealed record ObxGroup(string Key, string SubId, List<ObxRow> Rows)
{
    // Plain loops: classification asks Has/HasAny many times per group, and these allocate nothing.
    public bool Has(string code)
    {
        foreach (var row in Rows)
        {
            if (row.Code == code) return true;
        }

        return false;
    }

    public bool HasAny(System.Collections.Frozen.FrozenSet<string> codes)
    {
        foreach (var row in Rows)
        {
            if (codes.Contains(row.Code)) return true;
        }

        return false;
    }

    public IEnumerable<ObxRow> Of(string code) => Rows.Where(r => r.Code == code);

    /// <summary>Whether the key starts with the parent's key and a '.' (without building that prefix).</summary>
    public bool IsChildOf(ObxGroup parent) =>
        Key.Length > parent.Key.Length && Key[parent.Key.Length] == '.' && Key.StartsWith(parent.Key, StringComparison.Ordinal);
}
