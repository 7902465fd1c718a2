using System.IO.Compression;
using System.Text;
using PrecisionMed.Core.Formats.Vcf;

namespace PrecisionMed.Core.Tests.Formats.Vcf;

/// <summary>The VCF corpus copies under TestData/vcf, and the reader over them as bcftools query would print it.</summary>
internal static class VcfTestFiles
{
    private static readonly string Root = TestFiles.PathOf("vcf");

    public static IReadOnlyList<string> CorpusFiles() =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Where(path => path.EndsWith(".vcf", StringComparison.Ordinal) || path.EndsWith(".vcf.gz", StringComparison.Ordinal))
            .Select(path => Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static string PathOf(string relativePath) => TestFiles.PathOf("vcf/" + relativePath);

    /// <summary>Opens a corpus file decompressed (GZipStream reads every member of a BGZF file).</summary>
    public static Stream Open(string path)
    {
        var file = File.OpenRead(path);
        var magic = new byte[2];
        var read = file.Read(magic);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1F && magic[1] == 0x8B ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    /// <summary>
    /// Every record as <c>bcftools query -f '%CHROM\t%POS\t%REF\t%ALT[\t%GT]\n'</c> prints it (without the GT
    /// columns when <paramref name="withGenotypes"/> is false).
    /// </summary>
    public static List<string> QueryRows(VcfReader reader, bool withGenotypes)
    {
        var rows = new List<string>();
        Span<int> alleles = stackalloc int[VcfGenotype.MaxPloidy];
        Span<bool> phased = stackalloc bool[VcfGenotype.MaxPloidy];
        var text = new StringBuilder();
        while (reader.Read())
        {
            var record = reader.Current;
            text.Clear();
            // bcftools 1.16 prints POS as a 32-bit number and an empty REF or ALT as '.': the same here.
            text.Append(Encoding.UTF8.GetString(record.Chrom)).Append('\t').Append((uint)record.Position).Append('\t')
                .Append(OrMissing(record.Ref)).Append('\t').Append(OrMissing(record.Alt));
            if (withGenotypes)
            {
                var gt = record.FormatIndex("GT"u8);
                for (var sample = 0; sample < reader.Header.Samples.Count; sample++)
                {
                    text.Append('\t');
                    var ploidy = VcfGenotype.Parse(record.SampleValue(sample, gt), alleles, phased);
                    if (ploidy <= 0)
                    {
                        text.Append('.');
                        continue;
                    }

                    for (var i = 0; i < ploidy; i++)
                    {
                        if (i > 0) text.Append(phased[i] ? '|' : '/');
                        text.Append(alleles[i] < 0 ? "." : alleles[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }
                }
            }

            rows.Add(text.ToString());
        }

        return rows;
    }

    private static string OrMissing(ReadOnlySpan<byte> value) => value.IsEmpty ? "." : Encoding.UTF8.GetString(value);
}
