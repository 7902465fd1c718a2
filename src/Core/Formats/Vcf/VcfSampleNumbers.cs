using System.Buffers.Text;
using System.Globalization;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Vcf;

/// <summary>
/// The numeric FORMAT fields a Variant's sample facts are read from: AD (allelic depths: read depth, and with DP the
/// allelic state of a mitochondrial call), DP (total depth), AF and VAF (allele frequency). A field that holds anything
/// but numbers or '.' is left out of the facts; these are its problems, each with the line, the sample's column and the
/// field, never the value.
/// </summary>
internal static class VcfSampleNumbers
{
    /// <summary>Each of the fields that sample <paramref name="sample"/> (0-based) holds unreadable on this record; empty when none.</summary>
    public static IReadOnlyList<LabFileProblem> Unreadable(VcfRecord record, int sample)
    {
        List<LabFileProblem>? problems = null;
        Check(record, sample, "AD"u8, "AD", ref problems);
        Check(record, sample, "DP"u8, "DP", ref problems);
        Check(record, sample, "AF"u8, "AF", ref problems);
        Check(record, sample, "VAF"u8, "VAF", ref problems);
        return problems ?? (IReadOnlyList<LabFileProblem>)[];
    }

    private static void Check(VcfRecord record, int sample, ReadOnlySpan<byte> key, string name, ref List<LabFileProblem>? problems)
    {
        var value = record.SampleValue(sample, record.FormatIndex(key));
        if (value.IsEmpty || AreNumbers(value)) return;
        (problems ??= []).Add(new LabFileProblem(
            new SourcePosition { Line = record.LineNumber, Column = record.SampleColumnStart(sample), Field = $"FORMAT/{name}" },
            string.Create(CultureInfo.InvariantCulture, $"FORMAT field {name} of sample {sample + 1} holds something other than numbers; it was ignored")));
    }

    /// <summary>A comma-separated list of numbers, each item a number as the mapper reads it or '.' (missing).</summary>
    private static bool AreNumbers(ReadOnlySpan<byte> list)
    {
        foreach (var range in list.Split((byte)','))
        {
            var item = list[range];
            if (item.SequenceEqual("."u8)) continue;
            if (item.IsEmpty || !Utf8Parser.TryParse(item, out decimal _, out var used, 'G') || used != item.Length) return false;
        }

        return true;
    }
}
