using System.Globalization;
using System.Text;

namespace PrecisionMed.Bench.Genomics;

/// <summary>
/// The genomic index benchmark's lab files (bench/genomic-operations.sh), as labs send them:
/// <c>subject/</c>: one patient's five VCF reports of 2,000 PASS variants each (10,000 in all), with manifests;
/// <c>population/</c>: one HL7 v2 genomic report per patient (bench/data/genomic_5variants_pgx.hl7 under the patient's own
/// identifier and accession), for PATIENTS patients. Fixed seed: the same files every run.
/// </summary>
internal static class GenomicsData
{
    public const string SubjectIdentifierSystem = "urn:oid:2.16.840.1.113883.19.5.1";
    public const string SubjectIdentifier = "BENCH-10K";
    private const int Reports = 5;
    private const int VariantsPerReport = 2_000;

    private static readonly (string Name, long Length)[] Contigs =
    [
        ("chr1", 248_956_422), ("chr2", 242_193_529), ("chr3", 198_295_559), ("chr4", 190_214_555), ("chr5", 181_538_259),
        ("chr6", 170_805_979), ("chr7", 159_345_973), ("chr8", 145_138_636), ("chr9", 138_394_717), ("chr10", 133_797_422),
        ("chr11", 135_086_622), ("chr12", 133_275_309), ("chr13", 114_364_328), ("chr14", 107_043_718), ("chr15", 101_991_189),
        ("chr16", 90_338_345), ("chr17", 83_257_441), ("chr18", 80_373_285), ("chr19", 58_617_616), ("chr20", 64_444_167),
        ("chr21", 46_709_983), ("chr22", 50_818_468),
    ];

    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: genomics-data DIR [PATIENTS]");
            return 1;
        }

        var patients = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000;
        var subject = Directory.CreateDirectory(Path.Combine(args[1], "subject"));
        for (var report = 1; report <= Reports; report++) WriteSubjectReport(subject.FullName, report);
        var population = Directory.CreateDirectory(Path.Combine(args[1], "population"));
        var template = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "hl7v2", "genomic_5variants_pgx.hl7"));
        for (var i = 0; i < patients; i++)
        {
            var id = i.ToString("D5", CultureInfo.InvariantCulture);
            // A third of the patients are CYP2C9 *1/*1 instead of *1/*3: the haplotype questions count some, not all.
            var message = template.Replace("SL100099", "SLP" + id, StringComparison.Ordinal)
                .Replace("SL-24-BENCH-0001", "SL-POP-" + id, StringComparison.Ordinal)
                .Replace("BENCH-REQ-0001", "POP-REQ-" + id, StringComparison.Ordinal)
                .Replace("SL-BENCH-20240312-0001", "SL-POP-MSG-" + id, StringComparison.Ordinal);
            if (i % 3 == 0) message = message.Replace("CYP2C9 *1/*3", "CYP2C9 *1/*1", StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(population.FullName, $"pop-{id}.hl7"), message);
        }

        Console.WriteLine($"genomics-data: {Reports} reports of {VariantsPerReport} variants in {subject.FullName}, {patients} patients in {population.FullName}");
        return 0;
    }

    private static void WriteSubjectReport(string folder, int report)
    {
        var name = $"subject-{report}.vcf";
        var random = new Random(20261207 + report);
        var text = new StringBuilder(VariantsPerReport * 80);
        text.Append("##fileformat=VCFv4.2\n##reference=GRCh38\n");
        text.Append("##FILTER=<ID=PASS,Description=\"All filters passed\">\n");
        text.Append("##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n");
        text.Append("##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Read depth\">\n");
        foreach (var (contig, length) in Contigs) text.Append(CultureInfo.InvariantCulture, $"##contig=<ID={contig},length={length},assembly=GRCh38>\n");
        text.Append("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n");
        var total = Contigs.Sum(c => c.Length);
        var written = 0;
        foreach (var (contig, length) in Contigs)
        {
            var count = contig == Contigs[^1].Name ? VariantsPerReport - written : (int)(VariantsPerReport * (double)length / total);
            var positions = new SortedSet<long>();
            while (positions.Count < count) positions.Add(10_000 + random.NextInt64(length - 20_000));
            foreach (var position in positions)
            {
                var reference = "ACGT"[random.Next(4)];
                var alternate = "ACGT"[("ACGT".IndexOf(reference, StringComparison.Ordinal) + 1 + random.Next(3)) % 4];
                text.Append(CultureInfo.InvariantCulture, $"{contig}\t{position}\t.\t{reference}\t{alternate}\t500\tPASS\t.\tGT:DP\t{(random.Next(3) == 0 ? "1/1" : "0/1")}:40\n");
            }

            written += count;
        }

        File.WriteAllText(Path.Combine(folder, name), text.ToString());
        File.WriteAllText(Path.Combine(folder, name + ".manifest.json"), $$"""
            {
              "vcf": "{{name}}",
              "samples": [
                {
                  "sample": "S1",
                  "patient": { "identifier": { "system": "{{SubjectIdentifierSystem}}", "value": "{{SubjectIdentifier}}" }, "family": "Bench", "given": [ "Subject" ], "birthDate": "1970-01-01", "sex": "female" },
                  "accession": "BENCH-10K-{{report}}",
                  "specimen": "BENCH-10K-DNA-{{report}}",
                  "testCode": { "system": "http://loinc.org", "code": "51969-4", "display": "Genetic analysis report" }
                }
              ]
            }
            """);
    }
}
