using System.Text;
using BenchmarkDotNet.Attributes;
using PrecisionMed.Core.Formats.Vcf;

namespace PrecisionMed.Bench;

/// <summary>
/// The VCF reader on 20,000 generated GATK-like records (the shape of bench/vcf-vs-bcftools.sh's file), per record:
/// each benchmark is one pass over them with <c>OperationsPerInvoke</c> = 20,000, so Mean is the time per record and
/// Allocated the bytes per record (the reader's buffer and header, made once per pass, are spread over its records).
/// Baseline: read every record; then with the FILTER/GT policy; then reading the mapper's fields too.
/// </summary>
[MemoryDiagnoser]
public class VcfReaderBenchmarks
{
    private const int Records = 20_000;
    private byte[] _content = [];

    [GlobalSetup]
    public void Setup()
    {
        var text = new StringBuilder("##fileformat=VCFv4.2\n##reference=GRCh38\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n");
        for (var i = 1; i <= Records; i++)
        {
            text.Append("chr1\t").Append(i * 10).Append("\t.\tA\tG\t50.5\t").Append(i % 10 == 0 ? "LowQual" : "PASS")
                .Append("\tAC=1;AF=0.500;AN=2;BaseQRankSum=-1.978;DP=59;ExcessHet=3.0103;FS=8.287;MLEAC=1;MLEAF=0.500;MQ=60.00;MQRankSum=0.831;QD=26.07;ReadPosRankSum=-0.172;SOR=2.503")
                .Append("\tGT:AD:DP:GQ\t").Append(i % 3 == 0 ? "1/1" : "0/1").Append(":28,31:59:73\n");
        }

        _content = Encoding.ASCII.GetBytes(text.ToString());
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Records)]
    public long ReadRecords()
    {
        var reader = VcfReader.Open(new MemoryStream(_content, writable: false));
        while (reader.Read())
        {
        }

        return reader.RecordCount;
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long ReadAndApplyPolicy()
    {
        var reader = VcfReader.Open(new MemoryStream(_content, writable: false));
        var policy = new VcfReportablePolicy(new VcfOptions(), regions: null);
        long passed = 0;
        while (reader.Read())
        {
            var record = reader.Current;
            if (policy.Judge(record, 0, record.FormatIndex("GT"u8)) is null) passed++;
        }

        return passed;
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long ReadPolicyAndMapperFields()
    {
        var reader = VcfReader.Open(new MemoryStream(_content, writable: false));
        var policy = new VcfReportablePolicy(new VcfOptions(), regions: null);
        long sum = 0;
        while (reader.Read())
        {
            var record = reader.Current;
            if (policy.Judge(record, 0, record.FormatIndex("GT"u8)) is not null) continue;
            sum += policy.Chromosome(record).Length + record.Ref.Length + record.AltAllele(0).Length
                + record.SampleValue(0, record.FormatIndex("AD"u8)).Length + record.SampleValue(0, record.FormatIndex("DP"u8)).Length
                + (record.InfoInteger("DP"u8) ?? 0);
        }

        return sum;
    }
}
