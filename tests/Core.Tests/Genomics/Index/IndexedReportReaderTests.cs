using System.Text.Json.Nodes;
using PrecisionMed.Core.Genomics.Index;

namespace PrecisionMed.Core.Tests.Genomics.Index;

/// <summary>
/// The genomic index's entry for a report, read from FHIR resources we did not write (the Genomics Reporting IG's
/// example bundles) and from what the pipeline writes (the HL7 v2 golden transactions): every variant, genotype,
/// haplotype, implication and consequence with its reference, coordinates 0-based.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class IndexedReportReaderTests
{
    private const string Patient = "Patient/p1";

    [Fact]
    public void IgCyp2c19_EveryVariantWithAZeroBasedSpdiOnItsAccession()
    {
        var entry = Assert.Single(Read("fhir/ig-examples/Bundle-bundle-CYP2C19.json"));

        Assert.Equal("DiagnosticReport/report-CYP2C19", entry.Report);
        Assert.Equal(Patient, entry.Patient);
        Assert.Equal(74, entry.Variants.Count); // the bundle's variant Observations (its one other is a sequence-phase relationship)
        var first = entry.Variants.Single(v => v.Observation == "Observation/dv-5c7e9e1ca62b5");
        // 1-based position 96448129 A>G on NC_000010.10 (GRCh37)
        Assert.Equal("NC_000010.10:96448128:A:G", first.Spdi);
        Assert.Equal((96448128L, 96448129L), (first.Start!.Value, first.End!.Value));
        Assert.Equal("GRCh37", entry.GenomicBuild);
    }

    [Fact]
    public void IgPgxExample_GenotypeHaplotypesAndTheImplicationDerivedFromTheGenotype()
    {
        var entry = Assert.Single(Read("fhir/ig-examples/Bundle-bundle-pgxexample.json"));

        Assert.Equal(3, entry.Haplotypes.Count);
        Assert.Contains(entry.Haplotypes, h => h.Profile == "genotype" && h.Genes.Any(g => g.HgncId == "HGNC:2623"));
        var implication = Assert.Single(entry.Implications);
        Assert.Equal("therapeutic-implication", implication.Profile);
        Assert.Contains("Observation/genotype-pgx-example", implication.DerivedFrom);
        Assert.NotEmpty(implication.Medications);
        Assert.All(implication.Medications, m => Assert.Contains('|', m));
    }

    [Fact]
    public void IgOncology_VariantsAndFiveTherapeuticImplications()
    {
        var entry = Assert.Single(Read("fhir/ig-examples/Bundle-bundle-oncologyexamples-r4.json"));

        Assert.Equal(3, entry.Variants.Count);
        Assert.Equal(5, entry.Implications.Count(i => i.Profile == "therapeutic-implication"));
        Assert.All(entry.Variants, v => Assert.NotEmpty(v.Genes));
    }

    [Fact]
    public void Hl7v2Golden_Cgexample_DiagnosticImplicationWithSignificanceAndCondition()
    {
        var entry = Assert.Single(Read("hl7v2/golden/germline_from_cgexample.unit-1.json"));

        Assert.NotEmpty(entry.Variants);
        var pathogenic = entry.Implications.Where(i => i.Profile == "diagnostic-implication" && i.Significance == "LA6668-3").ToList();
        Assert.NotEmpty(pathogenic);
        Assert.Contains(pathogenic, d => d.Conditions.Count > 0);
        var diagnostic = pathogenic[0];
        Assert.All(diagnostic.DerivedFrom, d => Assert.Contains(d, entry.Variants.Select(v => v.Observation).Concat(entry.Haplotypes.Select(h => h.Observation))));
        Assert.Equal("final", entry.Status);
        Assert.NotEmpty(entry.TestIds);
    }

    [Fact]
    public void EveryGoldenAndIgExample_ReadsWithoutError_AndEveryReferenceIsAnObservation()
    {
        var files = Directory.EnumerateFiles(TestFiles.PathOf("hl7v2/golden"), "*.json")
            .Concat(Directory.EnumerateFiles(TestFiles.PathOf("fhir/ig-examples"), "*.json")).ToList();

        var entries = files.SelectMany(f => IndexedReportReader.Read(Resources(File.ReadAllText(f)), Patient)).ToList();

        Assert.True(entries.Count >= 20, $"{entries.Count} reports");
        Assert.All(entries.SelectMany(e => e.Variants.Select(v => v.Observation).Concat(e.Haplotypes.Select(h => h.Observation))),
            reference => Assert.StartsWith("Observation/", reference, StringComparison.Ordinal));
        Assert.All(entries.SelectMany(e => e.Variants).Where(v => v.Spdi is not null), v => Assert.StartsWith(v.ChromosomeAccession + ":", v.Spdi, StringComparison.Ordinal));
    }

    [Fact]
    public void Hl7v2Golden_VariantOnAGeneRegion_IndexedWhereItsChromosomeHgvsPlacesIt()
    {
        var entry = Assert.Single(Read("hl7v2/golden/germline_from_cgexample.unit-1.json"));

        // The lab gave NG_017064.1 31731 as coordinates and NC_000003.11:g.128625063C>T as the genomic HGVS.
        var acad9 = entry.Variants.Single(v => v.Hgvs.Contains("NC_000003.11:g.128625063C>T"));
        Assert.Equal(("NC_000003.11", 128625062L, 128625063L, "NC_000003.11:128625062:C:T"), (acad9.ChromosomeAccession, acad9.Start!.Value, acad9.End!.Value, acad9.Spdi));
    }

    [Fact]
    public void Hl7v2Golden_RegionsStudied_FromTheAnalysisTextAndGenes()
    {
        var regions = Assert.Single(Read("hl7v2/golden/wrapped_vcf2hl7v2_expected_NB6TK328.unit-1.json")).RegionsStudied;
        var genes = Read("hl7v2/golden/batch_three_messages.unit-2.json").Single().RegionsStudied;

        Assert.Equal("NC_000001.11:201038511-201113566", regions[0]);
        Assert.True(regions.Count > 5, $"{regions.Count} regions");
        Assert.Equal(["BRCA1", "BRCA2"], genes);
    }

    [Fact]
    public void Hl7v2Golden_PhaseRelationship_RelatesTwoOfTheReportsVariants()
    {
        var entry = Assert.Single(Read("hl7v2/golden/phase_cis_from_sequence_phase_relation.unit-1.json"));

        var phase = Assert.Single(entry.PhaseRelationships);
        Assert.Equal("Cis", phase.Relationship);
        Assert.Equal(2, phase.Variants.Count);
        Assert.All(phase.Variants, v => Assert.Contains(v, entry.Variants.Select(x => x.Observation)));
    }

    [Theory]
    [InlineData(100L, "GA", "G", "NC_1.1:101:A:")] // VCF deletion: the shared first base moves the position
    [InlineData(100L, "G", "GT", "NC_1.1:101::T")] // VCF insertion
    [InlineData(100L, "A", "T", "NC_1.1:100:A:T")]
    [InlineData(100L, "CAT", "CGT", "NC_1.1:101:A:G")]
    public void Spdi_TrimsWhatTheAllelesShare(long start, string reference, string alternate, string expected) =>
        Assert.Equal(expected, Spdi.Of("NC_1.1", start, reference, alternate));

    [Fact]
    public void PopulationSlices_GeneBinAndMedication_EachHoldsOnlyItsFindings()
    {
        var entry = Assert.Single(Read("fhir/ig-examples/Bundle-bundle-pgxexample.json"));

        var slices = PopulationSlices.Of(entry);

        var gene = slices[PopulationKey.Gene("HGNC:2623")];
        Assert.NotEmpty(gene.Haplotypes);
        Assert.All(gene.Haplotypes, h => Assert.Contains(h.Genes, g => g.HgncId == "HGNC:2623"));
        var medication = slices[PopulationKey.Medication(entry.Implications[0].Medications[0])];
        Assert.Single(medication.Implications);
    }

    [Fact]
    public void PopulationKey_FreeTextWhereACodeBelongs_KeyedByItsHashWithinTheBound()
    {
        var text = "http://example.org|" + new string('x', 17_000); // a mutated lab file's medication

        var key = PopulationKey.Medication(text);

        Assert.True(key.Value.Length <= PopulationKey.MaxLength, $"{key.Value.Length} characters");
        Assert.Equal(key, PopulationKey.Medication(text));
        Assert.NotEqual(key, PopulationKey.Medication(text + "y"));
        Assert.Equal("medication:http://www.nlm.nih.gov/research/umls/rxnorm|32968", PopulationKey.Medication("http://www.nlm.nih.gov/research/umls/rxnorm|32968").Value);
    }

    private static IReadOnlyList<IndexedReport> Read(string file) =>
        IndexedReportReader.Read(Resources(File.ReadAllText(TestFiles.PathOf(file))), Patient);

    private static List<JsonObject> Resources(string bundle) =>
        [.. (JsonNode.Parse(bundle)!["entry"] as JsonArray ?? []).Select(e => e?["resource"]).OfType<JsonObject>()];
}
