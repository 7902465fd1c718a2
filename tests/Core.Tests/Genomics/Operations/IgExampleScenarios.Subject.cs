using static PrecisionMed.Core.Tests.Genomics.Operations.IgExampleScenario;

namespace PrecisionMed.Core.Tests.Genomics.Operations;

/// <summary>The IG's subject example outputs, each with the findings of the example's resources and a decoy that the
/// operation must not return (another build, a simple variant among structural ones, another drug or condition).</summary>
internal static partial class IgExampleScenarios
{
    private const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
    private const string Snomed = "http://snomed.info/sct";

    public static IEnumerable<IgExampleScenario> Subject()
    {
        yield return new("Parameters-FindSubjectVariantsOutput.json", "find-subject-variants",
            [Q("subject", IgExampleScenario.Subject), Q("ranges", "NC_000017.11:39688093-39728660"), Q("ranges", "NC_000007.14:140713327-140924929"), Q("includeVariants", "true")],
            [Report(IgExampleScenario.Subject, "t1", [
                Simple("dv-5a7f781e83514", "NC_000007.14", 140753335, "A", "T", "LA6684-0"),
                Simple("decoy-grch37", "NC_000017.10", 39700000, "C", "T", "LA6684-0")])]);

        yield return new("Parameters-FindSubjectSpecificVariantsOutput.json", "find-subject-specific-variants",
            [Q("subject", IgExampleScenario.Subject), Q("variants", "NM_001354609.2:c.1799T>A"), Q("variants", "NM_007294.4:c.5559C>A"),
                Q("variants", "NM_001354609.2:c.1802="), Q("variants", "NC_000001.10:g.12225351T>A"), Q("variants", "NM_000038.6:c.55G>T")],
            [Report(IgExampleScenario.Subject, "t1", [
                Simple("dv-5a7f781e83514", "NC_000005.9", 112090641, "G", "T", "LA6683-2", "NM_000038.6:c.55G>T"),
                Simple("decoy-grch38", "NC_000001.11", 12225350, "T", "A", "LA6683-2")])]);

        yield return new("Parameters-FindSubjectStructuralIntersectingVariantsOutput.json", "find-subject-structural-intersecting-variants",
            [Q("subject", IgExampleScenario.Subject), Q("ranges", "NC_000007.13:55242414-55242513"), Q("includeVariants", "true")],
            [Report(IgExampleScenario.Subject, "t1", [
                Structural("dv-fff9d40035a04", "NC_000007.13", 55240000, 55250000, "SO:0000159"),
                Simple("decoy-simple", "NC_000007.13", 55242450, "G", "A")])]);

        yield return new("Parameters-FindSubjectStructuralSubsumingVariantsOutput.json", "find-subject-structural-subsuming-variants",
            [Q("subject", IgExampleScenario.Subject), Q("ranges", "NC_000007.14:116672195-116798386"), Q("includeVariants", "true")],
            [Report(IgExampleScenario.Subject, "t1", [
                Structural("dv-64c82675925d4", "NC_000007.14", 116600000, 116800000, "SO:0001019", 5),
                Structural("decoy-overlapping", "NC_000007.14", 116700000, 116750000, "SO:0001019", 3)])]);

        yield return new("Parameters-FindSubjectHaplotypesOutput.json", "find-subject-haplotypes",
            [Q("subject", IgExampleScenario.Subject), Q("genes", "http://www.genenames.org|HGNC:2625"), Q("genes", "http://www.genenames.org|HGNC:2621")],
            [Report(IgExampleScenario.Subject, "t1", haplotypes: [
                Genotype("GenotypeCYP2D6", "HGNC:2625", "CYP2D6", "CYP2D6 *1/*1", "http://www.pharmvar.org|CYP2D6_*1/*1"),
                Genotype("GenotypeCYP2C19", "HGNC:2621", "CYP2C19", "CYP2C19 *1/*2", "http://www.pharmvar.org|CYP2C19_*1/*2"),
                Genotype("decoy-cyp2c9", "HGNC:2623", "CYP2C9", "CYP2C9 *1/*1")])]);

        yield return new("Parameters-FindSubjectSpecificHaplotypesOutput.json", "find-subject-specific-haplotypes",
            [Q("subject", IgExampleScenario.Subject), Q("haplotypes", "HLA-A*23")],
            [Report(IgExampleScenario.Subject, "t1", haplotypes: [
                Genotype("Genotype7", "HGNC:4931", "HLA-A", "HLA-A*02:69+HLA-A*23:30|HLA-A*02:302+HLA-A*23:26/HLA-A*23:39",
                    "http://glstring.org|hla#3.33.0#HLA-A*02:69+HLA-A*23:30|HLA-A*02:302+HLA-A*23:26/HLA-A*23:39"),
                Genotype("decoy-hla-b", "HGNC:4932", "HLA-B", "HLA-B*23:01+HLA-B*44:02")])]);

        // The deletion asked in HGVS, indexed as the lab's SPDI with an anchor base: both spell the same change.
        yield return new("Parameters-FindSubjectTxImplicationsOutput.json", "find-subject-tx-implications",
            [Q("subject", IgExampleScenario.Subject), Q("variants", "NC_000017.11:g.39723966_39723981del"), Q("treatments", RxNorm + "|480167")],
            [Report(IgExampleScenario.Subject, "t1",
                [Simple("variantExample", "NC_000017.11", 39723965, "ATTGAGGGAAAACACAT", "T", "LA6684-0")],
                implications: [Therapeutic("TherapeuticImplicationExample", "variantExample", RxNorm + "|480167"), Therapeutic("decoy-other-drug", "variantExample", RxNorm + "|1")])]);

        yield return new("Parameters-FindSubjectDxImplicationsOutput.json", "find-subject-dx-implications",
            [Q("subject", IgExampleScenario.Subject), Q("conditions", Snomed + "|405501007")],
            [Report(IgExampleScenario.Subject, "t1",
                [Simple("variantExample2", "NC_000019.10", 38499669, "C", "T", "LA6683-2"), Simple("decoy-variant", "NC_000019.10", 1000, "C", "T", "LA6683-2")],
                implications: [Diagnostic("DiagnosticImplicationExample", "variantExample2", Snomed + "|405501007"), Diagnostic("decoy-other-condition", "decoy-variant", Snomed + "|1")])]);

        yield return new("Parameters-FindSubjectMolecConseqOutput.json", "find-subject-molecular-consequences",
            [Q("subject", IgExampleScenario.Subject), Q("variants", "NC_000001.10:86852620:A:G")],
            [Report(IgExampleScenario.Subject, "t1",
                [Simple("variantExampleMC", "NC_000001.10", 86852620, "A", "G", "LA6683-2", "NC_000001.10:g.86852621A>G"), Simple("decoy-variant", "NC_000001.10", 5, "A", "G")],
                consequences: [
                    Consequence("MC1", "variantExampleMC", "http://www.sequenceontology.org|SO:0001575"),
                    Consequence("MC2", "variantExampleMC", "http://www.sequenceontology.org|SO:0001819"),
                    Consequence("MC3", "variantExampleMC", "http://www.sequenceontology.org|SO:0001623"),
                    Consequence("MC4", "variantExampleMC", "http://www.sequenceontology.org|SO:0001627"),
                    Consequence("decoy-consequence", "decoy-variant", "http://www.sequenceontology.org|SO:0001627")])]);

        var metadata = Report(IgExampleScenario.Subject, "test08736abc87") with
        {
            TestDate = "2020-07-13",
            SpecimenIds = ["specimen9652adbg69"],
            GenomicBuild = "GRCh38",
            DnaChangeTypes = ["SO:0001483", "SO:0002007", "SO:1000032", "SO:0001019"],
            RegionsStudied = StudiedRegions,
            UncallableRegions = ["NC_000007.14:55173910-55174053", "NC_000007.14:55174711-55174830", "NC_000007.14:55181282-55181488"],
        };
        yield return new("Parameters-FindStudyMetadataOutput.json", "find-study-metadata",
            [Q("subject", IgExampleScenario.Subject), Q("testDateRange", "ge2020-01-01"), Q("testDateRange", "le2020-12-31")],
            [metadata, Report(IgExampleScenario.Subject, "decoy-2021-test")]);
    }

    private static readonly string[] StudiedRegions =
    [
        "NC_000007.14:55019016-55019365", "NC_000007.14:55142285-55142437", "NC_000007.14:55143304-55143488", "NC_000007.14:55146605-55146740",
        "NC_000007.14:55151293-55151362", "NC_000007.14:55152545-55152664", "NC_000007.14:55154010-55154152", "NC_000007.14:55155829-55155946",
        "NC_000007.14:55156532-55156659", "NC_000007.14:55156758-55156832", "NC_000007.14:55157662-55157753", "NC_000007.14:55160138-55160338",
        "NC_000007.14:55161498-55161631", "NC_000007.14:55163732-55163823", "NC_000007.14:55165279-55165437", "NC_000007.14:55171174-55171213",
        "NC_000007.14:55172982-55173124", "NC_000007.14:55173920-55174043", "NC_000007.14:55174721-55174820", "NC_000007.14:55181292-55181478",
        "NC_000007.14:55191718-55191874", "NC_000007.14:55192765-55192841", "NC_000007.14:55198716-55198863", "NC_000007.14:55200315-55200413",
        "NC_000007.14:55201187-55201355", "NC_000007.14:55201734-55201782", "NC_000007.14:55202516-55202625", "NC_000007.14:55205255-55211628",
    ];
}
