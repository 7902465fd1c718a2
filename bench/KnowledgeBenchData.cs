using System.Globalization;
using System.Text;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Import;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Bench;

/// <summary>
/// Generated ClinVar <c>variant_summary.txt</c> rows in the real 43-column layout (the header is the seed slice's),
/// and a 50-variant report whose variants are those rows or unknown ones beside them: the inputs of the knowledge benchmarks.
/// </summary>
internal static class KnowledgeBenchData
{
    private static readonly string[] Bases = ["A", "C", "G", "T"];

    public static string Header()
    {
        using var reader = new StreamReader(EmbeddedKnowledgeSeed.Open("clinvar_variant_summary.slice.txt"));
        return reader.ReadLine()!;
    }

    /// <summary>Row <paramref name="i"/>: a GRCh38 SNV on chromosome 1..22, deterministic.</summary>
    public static string Row(int i)
    {
        var chromosome = 1 + (i % 22);
        var position = 1_000_000L + (i * 37L);
        var reference = Bases[i % 4];
        var alternate = Bases[(i + 1) % 4];
        string[] significance = ["Pathogenic", "Likely pathogenic", "Uncertain significance", "Likely benign", "Benign"];
        return string.Create(CultureInfo.InvariantCulture,
            $"{i}\tsingle nucleotide variant\tNM_{100000 + i}.1(GENE{i % 500}):c.{100 + i}{reference}>{alternate} (p.Xaa{i}Yaa)\t{i}\tGENE{i % 500}\tHGNC:{i % 500}\t"
            + $"{significance[i % 5]}\t1\tJun 29, 2015\t{i}\t-\tRCV{i:D9}\tMONDO:MONDO:{i % 9999:D7},MedGen:C{i:D7}\tCondition {i % 300}\tgermline\tgermline\t"
            + $"GRCh38\tNC_0000{chromosome:D2}.11\t{chromosome}\t{position}\t{position}\tna\tna\t1p36\tcriteria provided, single submitter\t1\t-\tN\tClinGen:CA{i}\t3\t{i}\t"
            + $"{position}\t{reference}\t{alternate}\t-\t-\t-\t-\t-\t-\tSCV{i:D9}\t-\t-");
    }

    public static MemoryStream File(int rows)
    {
        var text = new StringBuilder(Header()).Append('\n');
        for (var i = 0; i < rows; i++) text.Append(Row(i)).Append('\n');
        return new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>
    /// A report of <paramref name="count"/> VCF-style variants plus a CYP2C19 diplotype: the first count - <paramref name="unknown"/>
    /// are rows 0.. of <see cref="Row"/> (known to the store), the rest lie one base beside them (unknown) and also
    /// carry c. and g. HGVS the store does not have, as a lab's HL7 v2 variant would: an unknown variant must still
    /// cost one read, not one per name.
    /// </summary>
    public static LabReport Report(int count, int unknown = 0)
    {
        var variants = new List<VariantFinding>();
        for (var i = 0; i < count; i++)
        {
            var known = i < count - unknown;
            var chromosome = 1 + (i % 22);
            var position = 1_000_000L + (i * 37L) + (known ? 0 : 1);
            var (reference, alternate) = (Bases[i % 4], Bases[(i + 1) % 4]);
            List<ReportComponent> components =
            [
                new ReportComponent(Coding.LoincCode("48018-6"), new CodedValue(new Coding(Coding.Hgnc, "HGNC:2621", "CYP2C19"))),
                new ReportComponent(Coding.LoincCode("48013-7"), new CodedValue(new Coding(Coding.RefSeq, $"NC_0000{chromosome:D2}.11"))),
                new ReportComponent(Coding.LoincCode("81254-5"), new RangeValue(position, position)),
                new ReportComponent(Coding.LoincCode("69547-8"), new TextValue(reference)),
                new ReportComponent(Coding.LoincCode("69551-0"), new TextValue(alternate)),
            ];
            if (!known)
            {
                components.Add(new ReportComponent(Coding.LoincCode("48004-6"), new CodedValue(new Coding(Coding.Hgvs, string.Create(CultureInfo.InvariantCulture, $"NM_{900000 + i}.1:c.{100 + i}{reference}>{alternate}")))));
                components.Add(new ReportComponent(Coding.LoincCode("81290-9"), new CodedValue(new Coding(Coding.Hgvs, string.Create(CultureInfo.InvariantCulture, $"NC_0000{chromosome:D2}.11:g.{position}{reference}>{alternate}")))));
            }

            variants.Add(new VariantFinding($"v{i}", VariantAssessment.Present, components));
        }

        return new LabReport
        {
            Accession = "BENCH-1",
            Patient = new PatientDetails([new PatientIdentifier("urn:bench", "1")]),
            GenomeBuild = new CodedValue(Coding.LoincCode("LA26806-2", "GRCh38")),
            Variants = variants,
            Genotypes = [new GenotypeFinding("pgx", new CodedValue([], "CYP2C19 *1/*2"), [new CodedValue(new Coding(Coding.Hgnc, "HGNC:2621", "CYP2C19"))], [])],
        };
    }

    /// <summary>The seed plus the generated rows, in a store of its own.</summary>
    public static async Task<InMemoryKnowledgeStore> StoreAsync(int rows)
    {
        var store = await EmbeddedKnowledgeSeed.LoadAsync(CancellationToken.None);
        await using var file = File(rows);
        await new KnowledgeImporter(store, store).ImportAsync(KnowledgeSource.ClinVar, file, "generated.txt");
        return store;
    }
}
