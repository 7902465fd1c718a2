using PrecisionMed.Core.Genomics.Index;
using static PrecisionMed.Core.Tests.Genomics.Operations.IgExampleScenario;

namespace PrecisionMed.Core.Tests.Genomics.Operations;

/// <summary>The IG's population example outputs: as many patients as each example counts (named as the example names
/// them, the rest after them), with decoys the operation must not count, and the partitions each may read.</summary>
internal static partial class IgExampleScenarios
{
    private const string V1 = "NC_000010.10:g.121551307G>A";
    private const string V2 = "NC_000011.10:g.8263343T>C";
    private const string V3 = "NC_000001.10:g.198742263G>A";

    public static IEnumerable<IgExampleScenario> Population()
    {
        PopulationKey[] variantBins = [PopulationKey.Bin("NC_000010.10", 121551306), PopulationKey.Bin("NC_000011.10", 8263342), PopulationKey.Bin("NC_000001.10", 198742262)];

        // 7 carry V1, 1 carries V2, 3 carry V3 (two of them V1 too); a decoy has V1's position in another build.
        var any = Patients(9, (i, p) => Report(p, "any" + i, [
            .. i < 7 ? [Simple("v1-" + i, "NC_000010.10", 121551306, "G", "A")] : Array.Empty<IndexedVariant>(),
            .. i == 7 ? [Simple("v2-" + i, "NC_000011.10", 8263342, "T", "C")] : Array.Empty<IndexedVariant>(),
            .. i is 5 or 6 or 8 ? [Simple("v3-" + i, "NC_000001.10", 198742262, "G", "A")] : Array.Empty<IndexedVariant>()]))
            .Append(Report("patient/decoy", "decoy", [Simple("v1-b38", "NC_000010.11", 121551306, "G", "A")]));
        yield return new("Parameters-FindANYPopulationSpecificVariantsOutput.json", "find-population-specific-variants",
            [Q("variants", V1), Q("variants", V2), Q("variants", V3)], [.. any], variantBins);

        // 2 carry all three (one across two reports); 3 carry two of them.
        var all = Patients(5, (i, p) => Report(p, "all" + i, [
            Simple("v1-" + i, "NC_000010.10", 121551306, "G", "A"),
            .. i != 2 ? [Simple("v2-" + i, "NC_000011.10", 8263342, "T", "C")] : Array.Empty<IndexedVariant>(),
            .. i == 0 ? [Simple("v3-" + i, "NC_000001.10", 198742262, "G", "A")] : Array.Empty<IndexedVariant>()]))
            .Append(Report("patient/x-4", "all4-later", [Simple("v3-later", "NC_000001.10", 198742262, "G", "A")]));
        yield return new("Parameters-FindALLPopulationSpecificVariantsOutput.json", "find-population-specific-variants",
            [Q("variants", $"{V1} AND {V2} AND {V3}")], [.. all], variantBins);

        // 7534 typed patients; some carry several of the alleles asked, none all eight.
        var hla = Patients(7534, (i, p) => Report(p, "hla" + i, haplotypes: [
            Genotype("a-" + i, "HGNC:4931", "HLA-A", i % 2 == 0 ? "HLA-A*01:01+HLA-A*31:01" : "HLA-A*02:01+HLA-A*24:02"),
            Genotype("b-" + i, "HGNC:4932", "HLA-B", "HLA-B*08:01+HLA-B*35:01")]));
        yield return new("Parameters-FindPopulationSpecificHaplotypesOutput.json", "find-population-specific-haplotypes",
            [Q("haplotypes", "A*1 and B*8 and DRB1*03 and DRB3*01 and A*31 and  B*35 and DRB1*04 and DRB4*01:02")], [.. hla],
            [.. HlaGenesAsked.Select(PopulationKey.Gene)]);

        var intersecting = Patients(17, (i, p) => Report(p, "brca1-" + i, [Structural("del-" + i, "NC_000017.11", 43000000 + (i * 1000), 43050000 + (i * 1000), "SO:0000159")]))
            .Concat(Patients(4, (i, p) => Report(p, "brca2-" + i, [Structural("dup-" + i, "NC_000013.11", 32300000, 32316000, "SO:1000035")]), ["patient/34567", "patient/45678"]))
            .Append(Report("patient/decoy", "decoy", [Structural("elsewhere", "NC_000017.11", 44000000, 44100000, "SO:0000159"), Simple("snv", "NC_000017.11", 43044300, "A", "G")]));
        yield return new("Parameters-FindPopulationStructuralIntersectingVariantsOutput.json", "find-population-structural-intersecting-variants",
            [Q("ranges", "NC_000017.11:43044294-43125364"), Q("ranges", "NC_000013.11:32315507-32400268"), Q("includePatientList", "true")], [.. intersecting],
            [PopulationKey.Bin("NC_000017.11", 43044294), PopulationKey.Bin("NC_000013.11", 32315507)]);

        var subsuming = Patients(113, (i, p) => Report(p, "cyp2d6-" + i, [Structural("cnv-" + i, "NC_000022.10", 42500000 - i, 42530000 + i, "SO:0001019", 3)]))
            .Append(Report("patient/decoy", "decoy", [Structural("partial", "NC_000022.10", 42523000, 42600000, "SO:0001019", 1)]));
        yield return new("Parameters-FindPopulationStructuralSubsumingVariantsOutput.json", "find-population-structural-subsuming-variants",
            [Q("ranges", "NC_000022.10:42522500-42526812"), Q("includePatientList", "true")], [.. subsuming], [PopulationKey.Bin("NC_000022.10", 42522500)]);

        var lapatinib = RxNorm + "|480167";
        var tx = Patients(23, (i, p) => Report(p, "tx" + i, [Simple("erbb2-" + i, "NC_000017.11", 39723965, "A", "T", "LA6684-0")],
                implications: [Therapeutic("ti-" + i, "erbb2-" + i, lapatinib)]))
            .Append(Report("patient/decoy", "decoy", [Simple("erbb2-d", "NC_000017.11", 39723965, "A", "T")], implications: [Therapeutic("ti-d", "erbb2-d", RxNorm + "|1")]));
        yield return new("Parameters-FindPopulationTxImplicationsOutput.json", "find-population-tx-implications",
            [Q("treatments", lapatinib), Q("includePatientList", "true")], [.. tx], [PopulationKey.Medication(lapatinib)]);

        var hyperthermia = Snomed + "|405501007";
        var dx = Patients(23, (i, p) => Report(p, "dx" + i, [Simple("ryr1-" + i, "NC_000019.10", 38499669, "C", "T", "LA6683-2")],
                implications: [Diagnostic("di-" + i, "ryr1-" + i, hyperthermia)]))
            .Append(Report("patient/decoy", "decoy", [Simple("ryr1-d", "NC_000019.10", 38499669, "C", "T")], implications: [Diagnostic("di-d", "ryr1-d", Snomed + "|1")]));
        yield return new("Parameters-FindPopulationDxImplicationsOutput.json", "find-population-dx-implications",
            [Q("conditions", hyperthermia), Q("includePatientList", "true")], [.. dx], [PopulationKey.Condition(hyperthermia)]);

        var consequences = Patients(23, (i, p) => Report(p, "mc" + i, [Simple("clca2-" + i, "NC_000001.10", 86852620, "A", "G")],
                consequences: [Consequence("mc-" + i, "clca2-" + i, "http://www.sequenceontology.org|SO:0001575")]))
            .Append(Report("patient/decoy", "decoy", [Simple("clca2-d", "NC_000001.10", 86852620, "A", "G")],
                consequences: [Consequence("mc-d", "clca2-d", "http://www.sequenceontology.org|SO:0001627")]));
        yield return new("Parameters-FindPopulationMolecConseqOutput.json", "find-population-molecular-consequences",
            [Q("variants", "NC_000001.10:g.86852621A>G"), Q("featureConsequences", "SO:0001575"), Q("includePatientList", "true")], [.. consequences],
            [PopulationKey.Bin("NC_000001.10", 86852620)]);
    }

    private static readonly string[] HlaGenesAsked = ["HLA-A", "HLA-B", "HLA-DRB1", "HLA-DRB3", "HLA-DRB4"];

    // The example's two named patients first, then patient/x-N (which sort after them).
    private static IEnumerable<IndexedReport> Patients(int count, Func<int, string, IndexedReport> report, string[]? named = null)
    {
        named ??= ["patient/12345", "patient/23456"];
        for (var i = 0; i < count; i++) yield return report(i, i < named.Length ? named[i] : "patient/x-" + i);
    }
}
