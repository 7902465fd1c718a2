namespace PrecisionMed.Core.Knowledge.Pharmacogenomics;

/// <summary>
/// The order PharmCAT lists haplotype names in: numbers inside names compare as numbers (<c>*2</c> before <c>*10</c>),
/// <c>Any</c>/<c>All</c>/<c>Reference</c> first and <c>Other</c>/<c>Unknown</c> last, and a combination
/// (<c>[*2 + *6]</c>) after every single allele, shorter combinations first, partial alleles (<c>g.123A&gt;G</c>)
/// last within them. The order of equally scored diplotypes follows from it, so it is part of the call.
/// </summary>
public sealed class HaplotypeNameComparer : IComparer<string>
{
    public static HaplotypeNameComparer Instance { get; } = new();

    private static readonly string[] Top = ["Any", "All", "Reference"];
    private static readonly string[] Bottom = ["Other", "Unknown"];

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        if (x == y) return 0;
        var cx = Combination.IsName(x);
        var cy = Combination.IsName(y);
        if (cx != cy) return cx ? 1 : -1;
        if (!cx) return Simple(x, y);

        var px = Combination.Split(x);
        var py = Combination.Split(y);
        var rez = px.Count.CompareTo(py.Count);
        if (rez != 0) return rez;
        for (var i = 0; i < px.Count; i++)
        {
            var partialX = Combination.IsPartialName(px[i]);
            var partialY = Combination.IsPartialName(py[i]);
            if (partialX != partialY) return partialX ? 1 : -1;
            rez = Simple(px[i], py[i]);
            if (rez != 0) return rez;
        }

        return 0;
    }

    private static int Simple(string x, string y)
    {
        if (x == y) return 0;
        if (Array.IndexOf(Top, x) >= 0 || Array.IndexOf(Bottom, y) >= 0) return -1;
        if (Array.IndexOf(Top, y) >= 0 || Array.IndexOf(Bottom, x) >= 0) return 1;
        return Natural(x, y);
    }

    /// <summary>Runs of digits compare as numbers, other runs ordinally; a text run sorts after a number run.</summary>
    private static int Natural(string x, string y)
    {
        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            var dx = char.IsAsciiDigit(x[i]);
            var dy = char.IsAsciiDigit(y[j]);
            var ei = RunEnd(x, i, dx);
            var ej = RunEnd(y, j, dy);
            int cmp;
            if (dx && dy) cmp = CompareNumbers(x.AsSpan(i, ei - i), y.AsSpan(j, ej - j));
            else if (!dx && !dy) cmp = x.AsSpan(i, ei - i).SequenceCompareTo(y.AsSpan(j, ej - j));
            else cmp = dx ? -1 : 1;
            if (cmp != 0) return cmp;
            i = ei;
            j = ej;
        }

        return (i < x.Length).CompareTo(j < y.Length);
    }

    private static int RunEnd(string s, int start, bool digits)
    {
        var end = start;
        while (end < s.Length && char.IsAsciiDigit(s[end]) == digits) end++;
        return end;
    }

    private static int CompareNumbers(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        a = a.TrimStart('0');
        b = b.TrimStart('0');
        return a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.SequenceCompareTo(b);
    }
}
