using PrecisionMed.Core.LabReports;
using Xunit;

namespace PrecisionMed.Validation.Tests.Genomics;

/// <summary>Rich canonical reports, shaped after the IG's example bundles, for validating what the builder writes.</summary>
internal static class SampleLabReports
{
    public static ReportProvenance Provenance { get; } = new(
        "lab-a", "incoming/lab-a/2026/report.hl7", new string('a', 64), "report.hl7", 0, 1,
        new DateTimeOffset(2026, 3, 1, 8, 30, 0, TimeSpan.Zero), "0.1.0");

    public static TheoryData<string> Names => [.. All.Keys.Order(StringComparer.Ordinal)];

    public static IReadOnlyDictionary<string, LabReport> All { get; } = new Dictionary<string, LabReport>
    {
        ["germline"] = Germline(),
        ["somatic"] = Somatic(),
        ["pgx"] = Pharmacogenomic(),
        ["structural"] = Structural(),
        ["lab-only"] = LabOnly(),
    };

    private static PatientDetails Patient() =>
        new([new PatientIdentifier("urn:oid:2.16.840.1.113883.19.5", "MRN-0001", "MR")], "Doe", ["Jane", "Q"], "1980-04-02", "F");

    private static CodedValue Loinc(string code, string display) => new(Coding.LoincCode(code, display));

    private static ReportComponent Component(string loinc, ReportedValue value) => new(Coding.LoincCode(loinc), value);

    private static ReportComponent Gene(string hgnc, string symbol) =>
        Component("48018-6", new CodedValue(new Coding(Coding.Hgnc, hgnc, symbol)));

    private static LabReport Germline() => new()
    {
        Accession = "GERM-001",
        Patient = Patient(),
        TestCode = new CodedValue([new Coding("urn:oid:1.2.3.4.5.1", "BRCA-PANEL", "Hereditary breast cancer panel")], "BRCA panel"),
        Effective = "2026-02-20",
        Issued = "2026-02-27T14:05:00-05:00",
        Order = new OrderDetails("PLC-77", "GERM-001", null, "urn:oid:1.2.3.4.5.2", "urn:oid:1.2.3.4.5.3"),
        Specimen = new SpecimenDetails("S1", "SP-123", new CodedValue(new Coding("http://terminology.hl7.org/CodeSystem/v2-0487", "BLD", "Whole blood")), "2026-02-18T09:00:00Z"),
        Conclusion = "Pathogenic variant identified in BRCA1.",
        ConclusionCode = Loinc("LA6576-8", "Positive"),
        GenomeBuild = Loinc("LA26806-2", "GRCh38"),
        GenesStudied = [new CodedValue(new Coding(Coding.Hgnc, "HGNC:1100", "BRCA1")), new CodedValue(new Coding(Coding.Hgnc, "HGNC:1101", "BRCA2"))],
        RegionsStudied = ["All coding exons and 20 bp of flanking intron", "Deletion/duplication analysis of BRCA1 and BRCA2"],
        Variants =
        [
            new VariantFinding(
                "2.1",
                VariantAssessment.Present,
                [
                    Gene("HGNC:1100", "BRCA1"),
                    Component("48004-6", new TextValue("NM_007294.4:c.5266dupC")),
                    Component("48005-3", new CodedValue(new Coding(Coding.Hgvs, "NP_009225.1:p.Gln1756ProfsTer74"))),
                    Component("51958-7", new TextValue("NM_007294.4")),
                    Component("48013-7", new TextValue("NC_000017.11")),
                    // The insertion after G, VCF-style: one ref base, so in 1-based character counting one position.
                    Component("81254-5", new RangeValue(43057062, 43057062)),
                    Component("92822-6", Loinc("LA30102-0", "1-based character counting")),
                    Component("69547-8", new TextValue("G")),
                    Component("69551-0", new TextValue("GC")),
                    Component("48002-0", Loinc("LA6683-2", "Germline")),
                    Component("53034-5", Loinc("LA6706-1", "Heterozygous")),
                    Component("81252-9", new CodedValue(new Coding(Coding.ClinVar, "17677"))),
                    Component("81258-6", new QuantityValue(0.48m)),
                    Component("82121-5", new QuantityValue(61m, "reads")),
                    Component("48019-4", new CodedValue(new Coding(Coding.SequenceOntology, "SO:1000035", "duplication"))),
                ],
                Loinc("LA26398-0", "Sequencing")),
        ],
        DiagnosticImplications =
        [
            new DiagnosticImplicationFinding(
                "2.1-dx",
                ["2.1"],
                Loinc("LA6668-3", "Pathogenic"),
                [new CodedValue(new Coding(Coding.Snomed, "254843006", "Familial cancer of breast"))],
                "Hereditary breast and ovarian cancer syndrome.",
                new CodedValue(new Coding("http://purl.obolibrary.org/obo/hp.owl", "HP:0000006", "Autosomal dominant inheritance"))),
        ],
        Documents = [new ReportDocument("pdf", "application/pdf", "%PDF-1.4 test"u8.ToArray(), null, "Signed report", Loinc("51969-4", "Genetic analysis report"))],
        Notes = ["Testing performed by NGS; confirmed by Sanger."],
    };

    private static LabReport Somatic() => new()
    {
        Accession = "ONC-002",
        Patient = Patient(),
        Status = ReportStatus.Corrected,
        Effective = "2026-01-10T10:00:00+01:00",
        Issued = "2026-01-12T16:00:00+01:00",
        Order = new OrderDetails(null, "ONC-002", Loinc("81247-9", "Master HL7 genetic variant reporting panel")),
        Specimen = new SpecimenDetails("tumor", "T-55", new CodedValue([], "FFPE lung tumor"), "2026-01-05"),
        GenomeBuild = new CodedValue([], "GRCh38.p14"),
        RegionsStudied = ["Hotspot regions of 50 cancer genes"],
        Variants =
        [
            new VariantFinding(
                "v1",
                VariantAssessment.Present,
                [
                    Gene("HGNC:3236", "EGFR"),
                    Component("48004-6", new TextValue("NM_005228.5:c.2573T>G")),
                    Component("48005-3", new TextValue("NP_005219.2:p.Leu858Arg")),
                    Component("48002-0", Loinc("LA6684-0", "Somatic")),
                    Component("81258-6", new QuantityValue(27m, "%", Coding.Ucum, "%")),
                    Component("82121-5", new QuantityValue(112m)),
                    Component("81290-9", new TextValue("NC_000007.14:g.55191822T>G")),
                ],
                Status: "C"),
            new VariantFinding("v2", VariantAssessment.Absent, [Gene("HGNC:1097", "BRAF"), Component("48005-3", new TextValue("p.Val600Glu"))]),
        ],
        TherapeuticImplications =
        [
            new TherapeuticImplicationFinding(
                "tx1",
                ["v1"],
                new CodedValue(new Coding(Coding.RxNorm, "1721560", "osimertinib")),
                [Loinc("LA6677-4", "Responsive")],
                Conclusion: "EGFR L858R predicts response to EGFR tyrosine kinase inhibitors.",
                GuidelineUrl: "https://www.nccn.org/guidelines"),
        ],
    };

    private static LabReport Pharmacogenomic() => new()
    {
        Accession = "PGX-003",
        Patient = Patient(),
        TestCode = Loinc("51969-4", "Genetic analysis report"),
        Effective = "2026-03-01",

        // As an HL7 v2 OBR-22 without an offset maps: issued is left out, never given an invented zone.
        Issued = "2026-03-01T16:20:00",
        GenomeBuild = Loinc("LA26806-2", "GRCh38"),
        GenesStudied =
        [
            new CodedValue(new Coding(Coding.Hgnc, "HGNC:2621", "CYP2C19")),
            new CodedValue(new Coding(Coding.Hgnc, "HGNC:2623", "CYP2C9")),
            new CodedValue(new Coding(Coding.Hgnc, "HGNC:23663", "VKORC1")),
        ],
        Variants =
        [
            new VariantFinding("rs4244285", VariantAssessment.Present, [Gene("HGNC:2621", "CYP2C19"), Component("81252-9", new CodedValue(new Coding(Coding.DbSnp, "rs4244285")))]),
            new VariantFinding("rs12769205", VariantAssessment.Present, [Gene("HGNC:2621", "CYP2C19"), Component("81252-9", new CodedValue(new Coding(Coding.DbSnp, "rs12769205")))]),
        ],
        Haplotypes =
        [
            new HaplotypeFinding("h1", new CodedValue(new Coding(Coding.PharmVar, "CYP2C19*2", "CYP2C19*2")), new CodedValue(new Coding(Coding.Hgnc, "HGNC:2621", "CYP2C19")), ["rs4244285", "rs12769205"]),
            new HaplotypeFinding("h2", new CodedValue(new Coding(Coding.PharmVar, "CYP2C19*2", "CYP2C19*2")), null, ["rs4244285"]),
        ],
        Genotypes =
        [
            new GenotypeFinding("g1", new CodedValue([new Coding(Coding.PharmVar, "CYP2C19*2/*2")], "CYP2C19 *2/*2"), [new CodedValue(new Coding(Coding.Hgnc, "HGNC:2621", "CYP2C19"))], ["h1", "h2"]),
        ],
        PhaseRelationships = [new PhaseRelationshipFinding("phase1", "cis", ["rs4244285", "rs12769205"])],
        TherapeuticImplications =
        [
            new TherapeuticImplicationFinding(
                "clopidogrel",
                ["g1"],
                new CodedValue(new Coding(Coding.RxNorm, "32968", "clopidogrel")),
                [Loinc("LA9657-3", "Poor metabolizer")],
                new CodedValue([Coding.LoincCode("LA26421-0", "Consider alternative medication")], "Use an alternative antiplatelet agent."),
                "Reduced platelet inhibition; alternative antiplatelet therapy recommended.",
                "https://cpicpgx.org/guidelines/guideline-for-clopidogrel-and-cyp2c19/"),
        ],
    };

    private static LabReport Structural() => new()
    {
        Accession = "SV-004",
        Patient = new PatientDetails([new PatientIdentifier("", "LOCAL-9")]),
        Status = ReportStatus.Preliminary,
        GenomeBuild = Loinc("LA14029-5", "GRCh37"),
        GenesStudied = [new CodedValue(new Coding(Coding.Hgnc, "HGNC:6893", "MAPT"))],
        Variants =
        [
            new VariantFinding(
                "sv1",
                VariantAssessment.Present,
                [
                    Component("48019-4", new CodedValue(new Coding(Coding.SequenceOntology, "SO:0000159", "deletion"))),
                    Component("48013-7", new TextValue("NC_000017.10")),
                    Component("81302-2", new RangeValue(43_705_000, 44_165_000)),
                    Component("81301-4", new RangeValue(43_700_000, 44_170_000)),
                    Component("82155-3", new QuantityValue(1m, null, Coding.Ucum, "1")),
                    Component("48001-2", new TextValue("17q21.31")),
                    Component("81291-7", new TextValue("arr[GRCh37] 17q21.31(43705000_44165000)x1")),
                    Component("92822-6", Loinc("LA30102-0", "1-based character counting")),
                    Component("48002-0", Loinc("LA6683-2", "Germline")),
                ],
                Structural: true),
            new VariantFinding(
                "sv2",
                VariantAssessment.Indeterminate,
                [Component("48019-4", Loinc("LA6692-3", "Duplication")), Component("82155-3", new RangeValue(3, 4))],
                Structural: true),
        ],
        DiagnosticImplications =
        [
            new DiagnosticImplicationFinding("sv1-dx", ["sv1"], Loinc("LA26333-7", "Uncertain significance"), []),
        ],
    };

    private static LabReport LabOnly() => new()
    {
        Accession = "CBC-005",
        Patient = Patient(),
        TestCode = Loinc("58410-2", "CBC panel - Blood by Automated count"),
        Effective = "2026-03-02T07:15:00Z",
        Issued = "2026-03-02T09:00:00Z",
        LabResults =
        [
            new LabResult("1", Loinc("718-7", "Hemoglobin [Mass/volume] in Blood"), new QuantityValue(13.2m, "g/dL", Coding.Ucum, "g/dL"), "F", "12.0-16.0 g/dL"),
            new LabResult("2", Loinc("6690-2", "Leukocytes [#/volume] in Blood by Automated count"), new QuantityValue(11.8m, "10*3/uL", Coding.Ucum, "10*3/uL"), "F",
                Interpretations: [new CodedValue(new Coding("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "H", "High"))]),
            new LabResult("3", new CodedValue([new Coding("urn:oid:1.2.3.4.5.1", "SMEAR")], "Smear review"), new TextValue("No blasts seen."), "final", Notes: ["Reviewed by pathologist."]),
            new LabResult("4", Loinc("883-9", "ABO group [Type] in Blood"), new CodedValue(new Coding(Coding.Snomed, "112144000", "Blood group A")), "C"),
            new LabResult("5", Loinc("33882-2", "Collection date of Blood"), new DateTimeValue("2026-03-02"), "F", Effective: "2026-03-02"),
        ],
        Notes = ["Specimen slightly hemolysed."],
    };
}
