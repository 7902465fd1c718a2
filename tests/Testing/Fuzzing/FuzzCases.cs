using System.Globalization;

namespace PrecisionMed.Testing.Fuzzing;

/// <summary>
/// How many fixed-seed cases a fuzz test runs: all of them in the whole suite, a share of them when
/// <c>PMED_FUZZ_SCALE</c> says so (<c>./test.sh --fast</c> sets it, to keep the fast tier within its two minutes). The
/// first cases are the same either way, so a failure the fast tier finds, the whole suite finds too.
/// </summary>
public static class FuzzCases
{
    public const string ScaleVariable = "PMED_FUZZ_SCALE";

    public static int Of(int full)
    {
        var text = Environment.GetEnvironmentVariable(ScaleVariable);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) || scale is <= 0 or >= 1) return full;
        return Math.Max(100, (int)(full * scale));
    }
}
