using System.Buffers.Text;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Vcf;

public sealed partial class VcfReportMapper
{
    /// <summary>A structural variant type with its Sequence Ontology code (the IG's recommended table).</summary>
    private sealed record StructuralKind(string Type, string So, string Display);

    private static readonly StructuralKind[] StructuralKinds =
    [
        new("DEL", "SO:0000159", "deletion"),
        new("DUP", "SO:1000035", "duplication"),
        new("INV", "SO:1000036", "inversion"),
        new("INS", "SO:0000667", "insertion"),
        new("CNV", "SO:0001019", "copy_number_variation"),
    ];

    /// <summary>The type of a symbolic allele (<c>&lt;DEL:ME:ALU&gt;</c> is a DEL), else INFO SVTYPE; null when neither is supported.</summary>
    private static StructuralKind? StructuralType(VcfRecord record, ReadOnlySpan<byte> alt)
    {
        var name = alt[1..^1];
        var colon = name.IndexOf((byte)':');
        if (colon > 0) name = name[..colon];
        foreach (var kind in StructuralKinds)
        {
            if (name.SequenceEqual(System.Text.Encoding.ASCII.GetBytes(kind.Type))) return kind;
        }

        if (record.TryGetInfo("SVTYPE"u8, out var svtype))
        {
            foreach (var kind in StructuralKinds)
            {
                if (svtype.SequenceEqual(System.Text.Encoding.ASCII.GetBytes(kind.Type))) return kind;
            }
        }

        return null;
    }

    /// <summary>INFO END, else POS + |SVLEN| (4.4: SVLEN is Number=A and absolute; older files write deletions negative).</summary>
    private static long StructuralEnd(VcfRecord record, string type, int allele)
    {
        if (record.InfoInteger("END"u8) is { } end && end >= record.Position) return end;
        if (record.TryGetInfo("SVLEN"u8, out var svlen))
        {
            var item = VcfRecord.Nth(svlen, (byte)',', allele - 1);
            if (item.IsEmpty) item = VcfRecord.Nth(svlen, (byte)',', 0);
            if (Utf8Parser.TryParse(item, out long length, out var used) && used == item.Length && type != "INS") return record.Position + Math.Abs(length);
        }

        return record.Position;
    }

    /// <summary>vcf2fhir's ranges: inner POS+CIPOS[1]..END-|CIEND[0]|, outer POS-|CIPOS[0]|..END+CIEND[1]; without CIs, inner POS..END.</summary>
    private static void AddStructural(List<ReportComponent> components, VcfRecord record, int sample, StructuralKind kind, long position, long end)
    {
        components.Add(new(Coding.LoincCode("48019-4", "DNA change type"), new CodedValue(new Coding(Coding.SequenceOntology, kind.So, kind.Display))));
        var cipos = Pair(record, "CIPOS"u8);
        var ciend = Pair(record, "CIEND"u8);
        if (cipos is null && ciend is null)
        {
            components.Add(new(Coding.LoincCode("81302-2", "Genomic allele inner start-end"), new RangeValue(position, end)));
        }
        else
        {
            var (ps, pe) = cipos ?? (0, 0);
            var (es, ee) = ciend ?? (0, 0);
            // Confidence intervals wider than a small event leave no certain inner part: only the outer range is known.
            if (position + pe <= end - Math.Abs(es))
                components.Add(new(Coding.LoincCode("81302-2", "Genomic allele inner start-end"), new RangeValue(position + pe, end - Math.Abs(es))));
            components.Add(new(Coding.LoincCode("81301-4", "Genomic allele outer start-end"), new RangeValue(position - Math.Abs(ps), end + ee)));
        }

        var cn = record.SampleValue(sample, record.FormatIndex("CN"u8));
        if (!cn.IsEmpty && Utf8Parser.TryParse(cn, out decimal copies, out var used, 'G') && used == cn.Length)
            components.Add(new(Coding.LoincCode("82155-3", "Genomic structural variant copy number"), new QuantityValue(copies, "copies", Coding.Ucum, "1")));
    }

    private static (long, long)? Pair(VcfRecord record, ReadOnlySpan<byte> key)
    {
        if (!record.TryGetInfo(key, out var value)) return null;
        var first = VcfRecord.Nth(value, (byte)',', 0);
        var second = VcfRecord.Nth(value, (byte)',', 1);
        return Utf8Parser.TryParse(first, out long a, out var ua) && ua == first.Length && Utf8Parser.TryParse(second, out long b, out var ub) && ub == second.Length
            ? (a, b)
            : null;
    }
}
