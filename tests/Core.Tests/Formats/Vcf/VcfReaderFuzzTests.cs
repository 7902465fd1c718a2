using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Tests.Formats.Vcf;

/// <summary>Fixed-seed fuzz: corpus VCFs with bytes flipped, cut, duplicated; the reader never throws anything but a rejection.</summary>
[Trait("Tier", "Fast")]
public sealed class VcfReaderFuzzTests
{
    private const int Seed = 20261128;
    private const int Cases = 3000;

    [Fact]
    public void Read_MutatedCorpusFiles_OnlyRejectionsEscape()
    {
        var random = new Random(Seed);
        var files = VcfTestFiles.CorpusFiles().Where(f => f.EndsWith(".vcf", StringComparison.Ordinal))
            .Select(f => File.ReadAllBytes(VcfTestFiles.PathOf(f))).ToList();
        byte[] interesting = "\t\n\r#.:,;|/<>[]=0123456789ACGTN\u00e9"u8.ToArray();
        var rejected = 0;
        var malformed = 0L;
        Span<int> alleles = stackalloc int[VcfGenotype.MaxPloidy];
        Span<bool> phased = stackalloc bool[VcfGenotype.MaxPloidy];
        for (var i = 0; i < Cases; i++)
        {
            var bytes = Mutate(files[random.Next(files.Count)], random, interesting);
            try
            {
                var reader = VcfReader.Open(new MemoryStream(bytes), maxLineBytes: 1 << 20);
                while (reader.Read())
                {
                    var record = reader.Current;
                    _ = record.AltCount;
                    _ = record.TryGetInfo("END"u8, out _);
                    _ = record.InfoInteger("SVLEN"u8);
                    var gt = record.FormatIndex("GT"u8);
                    for (var s = 0; s < reader.Header.Samples.Count; s++) _ = VcfGenotype.Parse(record.SampleValue(s, gt), alleles, phased);
                }

                malformed += reader.MalformedCount;
            }
            catch (LabFileRejectedException)
            {
                rejected++;
            }
        }

        Assert.InRange(rejected, 1, Cases - 1);
        Assert.True(malformed > 0);
    }

    private static byte[] Mutate(byte[] source, Random random, byte[] interesting)
    {
        var bytes = new List<byte>(source);
        var edits = random.Next(1, 8);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] = interesting[random.Next(interesting.Length)];
                    break;
                case 1:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 40), bytes.Count - at));
                    break;
                case 2:
                    bytes.Insert(at, interesting[random.Next(interesting.Length)]);
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }
}
