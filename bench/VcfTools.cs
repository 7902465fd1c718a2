using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using PrecisionMed.Core.Formats;
using PrecisionMed.Core.Formats.Compression;
using PrecisionMed.Core.Formats.Vcf;

namespace PrecisionMed.Bench;

/// <summary>
/// Side-by-side tools for bench/vcf-vs-bcftools.sh: <c>vcf-generate</c> writes a realistic single-sample VCF
/// (fixed seed); <c>vcf-scan</c> reads a VCF the way the pipeline does (every record, the fields
/// the mapper needs, the FILTER/GT policy) and prints its throughput.
/// </summary>
internal static class VcfTools
{
    private static readonly (string Name, long Length)[] Contigs =
    [
        ("chr1", 248_956_422), ("chr2", 242_193_529), ("chr3", 198_295_559), ("chr4", 190_214_555), ("chr5", 181_538_259),
        ("chr6", 170_805_979), ("chr7", 159_345_973), ("chr8", 145_138_636), ("chr9", 138_394_717), ("chr10", 133_797_422),
        ("chr11", 135_086_622), ("chr12", 133_275_309), ("chr13", 114_364_328), ("chr14", 107_043_718), ("chr15", 101_991_189),
        ("chr16", 90_338_345), ("chr17", 83_257_441), ("chr18", 80_373_285), ("chr19", 58_617_616), ("chr20", 64_444_167),
        ("chr21", 46_709_983), ("chr22", 50_818_468), ("chrX", 156_040_895),
    ];

    public static int Run(string[] args) => args[0] switch
    {
        "vcf-generate" when args.Length >= 3 => Generate(args[1], int.Parse(args[2], CultureInfo.InvariantCulture)),
        "vcf-scan" when args.Length >= 2 => Scan(args[1]),
        _ => Usage(),
    };

    private static int Usage()
    {
        Console.Error.WriteLine("usage: vcf-generate FILE RECORDS | vcf-scan FILE");
        return 1;
    }

    /// <summary>GATK-like single-sample records: ~150-byte INFO, FORMAT GT:AD:DP:GQ, 90% PASS, 5% 0/0.</summary>
    private static int Generate(string path, int records)
    {
        var random = new Random(20261128);
        using var output = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20) { NewLine = "\n" };
        output.WriteLine("##fileformat=VCFv4.2");
        output.WriteLine("##FILTER=<ID=PASS,Description=\"All filters passed\">");
        output.WriteLine("##FILTER=<ID=LowQual,Description=\"Low quality\">");
        output.WriteLine("##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allelic depths\">");
        output.WriteLine("##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read depth\">");
        output.WriteLine("##FORMAT=<ID=GQ,Number=1,Type=Integer,Description=\"Genotype quality\">");
        output.WriteLine("##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">");
        foreach (var key in (string[])["AC", "AN", "DP", "MLEAC"]) output.WriteLine($"##INFO=<ID={key},Number=1,Type=Integer,Description=\"{key}\">");
        foreach (var key in (string[])["AF", "BaseQRankSum", "ExcessHet", "FS", "MLEAF", "MQ", "MQRankSum", "QD", "ReadPosRankSum", "SOR"])
            output.WriteLine($"##INFO=<ID={key},Number=1,Type=Float,Description=\"{key}\">");
        foreach (var (name, length) in Contigs) output.WriteLine($"##contig=<ID={name},length={length},assembly=GRCh38>");
        output.WriteLine("##reference=GRCh38");
        output.WriteLine("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tSAMPLE1");

        var total = Contigs.Sum(c => c.Length);
        var bases = "ACGT";
        var line = new StringBuilder(512);
        foreach (var (name, length) in Contigs)
        {
            var count = (int)(records * (double)length / total);
            var step = length / Math.Max(count, 1);
            long position = 10_000;
            for (var i = 0; i < count; i++)
            {
                position += 1 + random.NextInt64(Math.Max(step * 2 - 1, 1));
                var kind = random.Next(100);
                var reference = bases[random.Next(4)].ToString();
                var alternate = bases[(bases.IndexOf(reference[0], StringComparison.Ordinal) + 1 + random.Next(3)) % 4].ToString();
                if (kind < 6) reference += RandomBases(random, 1 + random.Next(6));
                else if (kind < 12) alternate = reference + RandomBases(random, 1 + random.Next(6));
                var gtRoll = random.Next(100);
                var gt = gtRoll < 60 ? "0/1" : gtRoll < 95 ? "1/1" : "0/0";
                var dp = 20 + random.Next(40);
                var altReads = gt == "0/1" ? dp / 2 + random.Next(-5, 5) : gt == "1/1" ? dp - random.Next(2) : random.Next(2);
                var af = gt == "0/1" ? "0.500" : gt == "1/1" ? "1.00" : "0.00";
                line.Clear();
                line.Append(name).Append('\t').Append(position).Append('\t')
                    .Append(random.Next(3) == 0 ? "." : "rs" + random.Next(1, 900_000_000).ToString(CultureInfo.InvariantCulture)).Append('\t')
                    .Append(reference).Append('\t').Append(alternate).Append('\t')
                    .Append((random.NextDouble() * 2000).ToString("0.00", CultureInfo.InvariantCulture)).Append('\t')
                    .Append(random.Next(10) == 0 ? "LowQual" : "PASS").Append('\t')
                    .Append(CultureInfo.InvariantCulture, $"AC={(gt == "1/1" ? 2 : 1)};AF={af};AN=2;BaseQRankSum={random.NextDouble() * 4 - 2:0.000};DP={dp};ExcessHet=3.0103;")
                    .Append(CultureInfo.InvariantCulture, $"FS={random.NextDouble() * 10:0.000};MLEAC=1;MLEAF={af};MQ=60.00;MQRankSum={random.NextDouble() * 2 - 1:0.000};")
                    .Append(CultureInfo.InvariantCulture, $"QD={random.NextDouble() * 30:0.00};ReadPosRankSum={random.NextDouble() * 2 - 1:0.000};SOR={random.NextDouble() * 3:0.000}")
                    .Append("\tGT:AD:DP:GQ\t")
                    .Append(CultureInfo.InvariantCulture, $"{gt}:{Math.Max(dp - altReads, 0)},{altReads}:{dp}:{random.Next(20, 100)}");
                output.WriteLine(line);
            }
        }

        return 0;
    }

    private static string RandomBases(Random random, int count) => string.Create(count, random, (span, r) =>
    {
        for (var i = 0; i < span.Length; i++) span[i] = "ACGT"[r.Next(4)];
    });

    /// <summary>
    /// One pass as the pipeline reads a unit: every record parsed, the FILTER/GT policy applied, and for the records
    /// that pass, the fields the mapper reads (CHROM, POS, REF, ALT, AD, DP). Prints counts, seconds and MB/s.
    /// </summary>
    private static int Scan(string path)
    {
        var stopwatch = Stopwatch.StartNew();
        using var file = File.OpenRead(path);
        var head = new byte[FormatDetector.HeadLength];
        var headLength = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        file.Position = 0;
        var detected = FormatDetector.Detect(head.AsSpan(0, headLength));
        using Stream content = detected.Compression switch
        {
            LabFileCompression.None => file,
            LabFileCompression.Bgzf => new BgzfStream(file),
            _ => new GZipStream(file, CompressionMode.Decompress),
        };

        var reader = VcfReader.Open(content);
        var policy = new VcfReportablePolicy(new VcfOptions(), regions: null);
        long reported = 0, skipped = 0, checksum = 0;
        while (reader.Read())
        {
            var record = reader.Current;
            var gt = record.FormatIndex("GT"u8);
            if (policy.Judge(record, 0, gt) is not null)
            {
                skipped++;
                continue;
            }

            reported++;
            checksum += policy.Chromosome(record).Length + record.Position + record.Ref.Length + record.AltAllele(0).Length;
            var ad = VcfRecord.Nth(record.SampleValue(0, record.FormatIndex("AD"u8)), (byte)',', 1);
            var dp = record.SampleValue(0, record.FormatIndex("DP"u8));
            if (Utf8Parser.TryParse(ad, out int reads, out _)) checksum += reads;
            if (Utf8Parser.TryParse(dp, out int depth, out _)) checksum += depth;
        }

        var seconds = stopwatch.Elapsed.TotalSeconds;
        var megabytes = reader.BytesRead / 1e6;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"records={reader.RecordCount} reported={reported} skipped={skipped} malformed={reader.MalformedCount} checksum={checksum} "
            + $"uncompressed_mb={megabytes:0.0} seconds={seconds:0.000} mb_per_s={megabytes / seconds:0.0}"));
        return 0;
    }
}
