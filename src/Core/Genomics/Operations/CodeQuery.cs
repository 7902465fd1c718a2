namespace PrecisionMed.Core.Genomics.Operations;

/// <summary>A coded value an operation asks about: <c>system|code</c>, or a bare code (token) matching it in any system.</summary>
public sealed record CodeQuery(string Text, string? System, string Code)
{
    public static bool TryParse(string text, out CodeQuery query, out string reason)
    {
        query = null!;
        var value = (text ?? string.Empty).Trim();
        var bar = value.LastIndexOf('|');
        var system = bar > 0 ? value[..bar] : null;
        var code = bar >= 0 ? value[(bar + 1)..] : value;
        if (code.Length == 0)
        {
            reason = "no code (expected system|code or a code)";
            return false;
        }

        query = new CodeQuery(value, system, code);
        reason = string.Empty;
        return true;
    }

    /// <summary>Whether an indexed coding (<c>system|code</c>) is this one; a bare code matches whatever system.</summary>
    public bool Matches(string coding)
    {
        ArgumentNullException.ThrowIfNull(coding);
        var bar = coding.LastIndexOf('|');
        var code = bar >= 0 ? coding[(bar + 1)..] : coding;
        if (!string.Equals(code, Code, StringComparison.OrdinalIgnoreCase)) return false;
        return System is null || bar < 0 || string.Equals(coding[..bar].TrimEnd('/'), System.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
    }
}
