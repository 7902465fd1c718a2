using Microsoft.Extensions.Options;
using PrecisionMed.Core.Knowledge;
using PrecisionMed.Core.Knowledge.Enrichment;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Tests.Fakes;

namespace PrecisionMed.Core.Tests.Knowledge;

[Trait("Tier", "Fast")]
public sealed class ReportEnricherTests
{
    private static readonly PatientDetails Patient = new([new PatientIdentifier("urn:test", "1")]);

    private static (ReportEnricher Enricher, KnowledgeLookup Lookup) Create(IKnowledgeStore? store = null, int cacheEntries = 1000)
    {
        var lookup = new KnowledgeLookup(
            store ?? EmbeddedKnowledgeSeed.Instance,
            Options.Create(new KnowledgeOptions { CacheEntries = cacheEntries }),
            new FixedTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)));
        return (new ReportEnricher(lookup), lookup);
    }

    private static VariantFinding Variant(string key, params (string Code, ReportedValue Value)[] components) =>
        new(key, VariantAssessment.Present, [.. components.Select(c => new ReportComponent(Coding.LoincCode(c.Code), c.Value))]);

    private static CodedValue Gene(string? hgncId, string symbol) =>
        hgncId is null ? new CodedValue([], symbol) : new CodedValue(new Coding(Coding.Hgnc, hgncId, symbol));

    private static VariantFinding Acad9Grch38(string key = "2a") => Variant(
        key,
        ("48018-6", Gene("HGNC:21497", "ACAD9")),
        ("62374-4", new CodedValue(Coding.LoincCode("LA26806-2", "GRCh38"))),
        ("48013-7", new CodedValue(new Coding(Coding.RefSeq, "NC_000003.12"))),
        ("81254-5", new RangeValue(128906220, 128906220)),
        ("69547-8", new TextValue("C")),
        ("69551-0", new TextValue("T")));

    [Theory]
    [InlineData("96527334999999999999999")] // past long: the cast threw an OverflowException out of the pipeline (found by the HL7 v2 fuzz test)
    [InlineData("128906220.5")]
    [InlineData("0")]
    public async Task Enrich_StartThatIsNoChromosomePosition_NoLocationAndNoException(string start)
    {
        var (enricher, _) = Create();
        var position = decimal.Parse(start, System.Globalization.CultureInfo.InvariantCulture);
        var variant = Acad9Grch38() with
        {
            Components = [.. Acad9Grch38().Components.Select(c => c.Code.Code == "81254-5" ? c with { Value = new RangeValue(position, null) } : c)],
        };
        var report = new LabReport { Accession = "A1", Patient = Patient, Variants = [variant] };

        Assert.Null(ReportEnricher.LocationOf(report, variant));
        var enriched = await enricher.EnrichAsync(report, "lab-a", TestContext.Current.CancellationToken);
        Assert.Single(enriched.Variants);
    }

    [Fact]
    public async Task Enrich_KnownVariantByLocation_AddsClinVarDiagnosticImplicationAndVersion()
    {
        var (enricher, _) = Create();
        var report = new LabReport { Accession = "A1", Patient = Patient, Variants = [Acad9Grch38()] };

        var enriched = await enricher.EnrichAsync(report, "lab-a", TestContext.Current.CancellationToken);

        var implication = Assert.Single(enriched.DiagnosticImplications);
        Assert.Equal(["2a"], implication.DerivedFromKeys);
        Assert.Equal("LA6668-3", implication.ClinicalSignificance!.Codings[0].Code);
        Assert.Equal("MONDO:0012624", Assert.Single(implication.PredictedPhenotypes).Codings[0].Code);
        Assert.Equal("https://www.ncbi.nlm.nih.gov/clinvar/variation/30880/", implication.CitationUrl);
        Assert.Null(implication.Note);
        Assert.StartsWith("kv-", enriched.KnowledgeVersion, StringComparison.Ordinal);
        Assert.Contains(enriched.KnowledgeVersion!, implication.Conclusion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enrich_LabDisagreesWithStore_KeepsLabImplicationAndNotesTheConflict()
    {
        var (enricher, _) = Create();
        var lab = new DiagnosticImplicationFinding("2a:implication", ["2a"], new CodedValue(Coding.LoincCode("LA26332-9", "Likely pathogenic")), []);
        var report = new LabReport { Accession = "A1", Patient = Patient, Variants = [Acad9Grch38()], DiagnosticImplications = [lab] };

        var enriched = await enricher.EnrichAsync(report, "lab-a", TestContext.Current.CancellationToken);

        Assert.Same(lab, enriched.DiagnosticImplications[0]);
        var store = enriched.DiagnosticImplications[1];
        Assert.Equal("LA6668-3", store.ClinicalSignificance!.Codings[0].Code);
        Assert.Contains("Likely pathogenic", store.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enrich_VariantKnownOnlyByHgvs_FoundDespiteVersionAndDupSpelling()
    {
        var (enricher, _) = Create();
        var report = new LabReport
        {
            Accession = "A1",
            Patient = Patient,
            Variants = [Variant("2a", ("48004-6", new CodedValue(new Coding(Coding.Hgvs, "NM_007294.3:c.5266dupC"))))],
        };

        var enriched = await enricher.EnrichAsync(report, "lab-a", TestContext.Current.CancellationToken);

        Assert.Equal("17677", Assert.Single(enriched.DiagnosticImplications).CitationUrl!.Split('/')[^2]);
    }

    [Theory]
    [InlineData("81290-9", "NC_000007.13:g.140453136A>T")]
    [InlineData("48004-6", "NM_004333.4:c.1799T>A")]
    public async Task Enrich_BrafV600eByHgvsOnly_PathogenicFromClinVar13961(string code, string hgvs)
    {
        var (enricher, _) = Create();
        var report = new LabReport { Accession = "A1", Patient = Patient, Variants = [Variant("2a", (code, new CodedValue(new Coding(Coding.Hgvs, hgvs))))] };

        var implication = Assert.Single((await enricher.EnrichAsync(report, "lab-a", TestContext.Current.CancellationToken)).DiagnosticImplications);

        Assert.Equal("LA6668-3", implication.ClinicalSignificance!.Codings[0].Code);
        Assert.Equal("https://www.ncbi.nlm.nih.gov/clinvar/variation/13961/", implication.CitationUrl);
    }

    [Fact]
    public async Task Enrich_BareCodingChangeBesideItsTranscript_LookedUpOnTheTranscript()
    {
        var (enricher, _) = Create();
        var variant = Variant("2a", ("51958-7", new CodedValue(new Coding(Coding.RefSeq, "NM_004333.4"))), ("48004-6", new TextValue("c.1799T>A")));
        var report = new LabReport { Accession = "A1", Patient = Patient, Variants = [variant] };

        var implication = Assert.Single((await enricher.EnrichAsync(report, "lab-a", TestContext.Current.CancellationToken)).DiagnosticImplications);

        Assert.Equal("https://www.ncbi.nlm.nih.gov/clinvar/variation/13961/", implication.CitationUrl);
    }

    [Fact]
    public async Task Enrich_BrafV600eByGrch38Location_PathogenicFromClinVar13961()
    {
        var (enricher, _) = Create();
        var report = new LabReport
        {
            Accession = "A1",
            Patient = Patient,
            Variants =
            [
                Variant(
                    "2a",
                    ("62374-4", new CodedValue(Coding.LoincCode("LA26806-2", "GRCh38"))),
                    ("48013-7", new CodedValue(new Coding(Coding.RefSeq, "NC_000007.14"))),
                    ("81254-5", new RangeValue(140753336, 140753336)),
                    ("69547-8", new TextValue("A")),
                    ("69551-0", new TextValue("T"))),
            ],
        };

        var implication = Assert.Single((await enricher.EnrichAsync(report, "lab-a", TestContext.Current.CancellationToken)).DiagnosticImplications);

        Assert.Equal("LA6668-3", implication.ClinicalSignificance!.Codings[0].Code);
        Assert.Contains("variation 13961", implication.Conclusion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enrich_GeneByAliasOrUnknown_NormalisedOrKeptWithDiagnostic()
    {
        var (enricher, _) = Create();
        var report = new LabReport
        {
            Accession = "A1",
            Patient = Patient,
            Variants = [Variant("2a", ("48018-6", Gene(null, "RNF53"))), Variant("2b", ("48018-6", Gene(null, "NOTAGENE1")))],
        };

        var enriched = await enricher.EnrichAsync(report, "lab-a", TestContext.Current.CancellationToken);

        var brca1 = (CodedValue)enriched.Variants[0].Components[0].Value;
        Assert.Equal(new Coding(Coding.Hgnc, "HGNC:1100", "BRCA1"), brca1.Codings[0]);
        Assert.Equal("RNF53", brca1.Text);
        Assert.Equal("NOTAGENE1", ((CodedValue)enriched.Variants[1].Components[0].Value).Text);
        var problem = Assert.Single(enriched.Skipped);
        Assert.Equal("variant 2b", problem.Position.Path);
        Assert.Contains("NOTAGENE1", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enrich_HaplotypeAndGenotypeGenesByAliasPreviousOrUnknown_NormalisedOrKeptWithDiagnostic()
    {
        var (enricher, _) = Create();
        var report = new LabReport
        {
            Accession = "A1",
            Patient = Patient,
            Haplotypes =
            [
                new HaplotypeFinding("3a", new CodedValue([], "*2"), Gene(null, "CPCJ"), []), // alias of CYP2C19
                new HaplotypeFinding("3b", new CodedValue([], "*1"), Gene(null, "FANCD1"), []), // previous symbol of BRCA2
                new HaplotypeFinding("3c", new CodedValue([], "*1"), Gene("HGNC:7133", "MLL2"), []), // HGNC id with its previous symbol
                new HaplotypeFinding("3d", new CodedValue([], "*1"), Gene(null, "NOTAGENE2"), []),
            ],
            Genotypes =
            [
                new GenotypeFinding("4a", new CodedValue([], "*2/*2"), [Gene(null, "CPCJ")], ["3a"]),
                new GenotypeFinding("4b", new CodedValue([], "see report"), [Gene(null, "CYP2C9"), Gene(null, "VKOR")], []),
                new GenotypeFinding("4c", new CodedValue([], "see report"), [Gene(null, "NOTAGENE3")], []),
            ],
        };

        var enriched = await enricher.EnrichAsync(report, "lab-a", TestContext.Current.CancellationToken);

        Assert.Equal(
            [new Coding(Coding.Hgnc, "HGNC:2621", "CYP2C19"), new Coding(Coding.Hgnc, "HGNC:1101", "BRCA2"), new Coding(Coding.Hgnc, "HGNC:7133", "KMT2D"), null],
            enriched.Haplotypes.Select(h => h.Gene!.Codings.Count > 0 ? h.Gene.Codings[0] : null));
        Assert.Equal("CPCJ", enriched.Haplotypes[0].Gene!.Text); // the lab's words stay as text
        Assert.Equal("NOTAGENE2", enriched.Haplotypes[3].Gene!.Text);
        Assert.Equal([("HGNC:2621", "CYP2C19")], enriched.Genotypes[0].Genes.Select(g => (g.Codings[0].Code, g.Codings[0].Display)));
        Assert.Equal(
            [("HGNC:2623", "CYP2C9"), ("HGNC:23663", "VKORC1")],
            enriched.Genotypes[1].Genes.Select(g => (g.Codings[0].Code, g.Codings[0].Display)));
        Assert.Equal("NOTAGENE3", Assert.Single(enriched.Genotypes[2].Genes).Text);
        Assert.Empty(enriched.Genotypes[2].Genes[0].Codings);

        // The diplotype was read with the approved symbol the alias resolved to: CYP2C19 Poor Metabolizer in every implication.
        Assert.NotEmpty(enriched.TherapeuticImplications);
        Assert.All(enriched.TherapeuticImplications, i => Assert.Equal("LA9657-3", i.Implications[0].Codings[0].Code));
        Assert.Equal(
            [("haplotype 3d", "NOTAGENE2"), ("genotype 4c", "NOTAGENE3")],
            enriched.Skipped.Where(p => p.Position.Field == "48018-6").Select(p => (p.Position.Path!, p.Reason.Split('\'')[1])));
    }

    [Theory]
    [InlineData("NC_000011.10", 126275389, "C", "T", "5", "2-star", "2 star", "criteria provided, multiple submitters, no conflicts", ", last evaluated Aug 17, 2025")]
    [InlineData("NC_000014.9", 31562125, "G", "A", "214885", "1-star", "1 star", "criteria provided, conflicting classifications", ", last evaluated Apr 08, 2025")]
    [InlineData("NC_000007.14", 4787729, "GCTGCTGGACCTGCC", "G", "3", "no-star", "no star", "no assertion criteria provided", ", last evaluated Jun 29, 2010")]
    public async Task Enrich_StoreVariantWithReviewStatus_EvidenceLevelIsClinVarsStarsAndConclusionHasLastEvaluated(
        string chromosome, long position, string reference, string alternate, string variationId, string stars, string display, string reviewStatus, string evaluated)
    {
        var (enricher, _) = Create();
        var variant = Variant(
            "2a",
            ("62374-4", new CodedValue(Coding.LoincCode("LA26806-2", "GRCh38"))),
            ("48013-7", new CodedValue(new Coding(Coding.RefSeq, chromosome))),
            ("81254-5", new RangeValue(position, position)),
            ("69547-8", new TextValue(reference)),
            ("69551-0", new TextValue(alternate)));
        var report = new LabReport { Accession = "A1", Patient = Patient, Variants = [variant] };

        var implication = Assert.Single((await enricher.EnrichAsync(report, "lab-a", TestContext.Current.CancellationToken)).DiagnosticImplications);

        Assert.Equal(new Coding(KnowledgeCodes.ClinVarEvidenceLevelSystem, stars, display), Assert.Single(implication.EvidenceLevel!.Codings));
        Assert.Equal($"ClinVar review status: {reviewStatus}", implication.EvidenceLevel.Text);
        Assert.StartsWith($"ClinVar: ", implication.Conclusion, StringComparison.Ordinal);
        Assert.Contains($"{evaluated} (variation {variationId};", implication.Conclusion, StringComparison.Ordinal);
        Assert.Equal($"https://www.ncbi.nlm.nih.gov/clinvar/variation/{variationId}/", implication.CitationUrl);
    }

    [Fact]
    public async Task Enrich_StoreVariantWithoutReviewStatusOrDate_NoEvidenceLevelNoDate()
    {
        var (enricher, _) = Create();
        var report = new LabReport { Accession = "A1", Patient = Patient, Variants = [Acad9Grch38()] };

        var implication = Assert.Single((await enricher.EnrichAsync(report, "lab-a", TestContext.Current.CancellationToken)).DiagnosticImplications);

        // The seed's ACAD9 row has ClinVar's missing markers for both: nothing is made up.
        Assert.Null(implication.EvidenceLevel);
        Assert.DoesNotContain("last evaluated", implication.Conclusion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enrich_Cyp2c19Diplotype_ClopidogrelImplicationsPerPopulationCpicFirst()
    {
        var (enricher, _) = Create();
        var genotype = new GenotypeFinding("4a", new CodedValue([], "CYP2C19 *2/*1"), [Gene("HGNC:2621", "CYP2C19")], []);
        var report = new LabReport { Accession = "A1", Patient = Patient, Genotypes = [genotype] };

        var enriched = await enricher.EnrichAsync(report, "lab-a", TestContext.Current.CancellationToken);

        // CPIC's three clopidogrel populations, then DPWG's recommendation; every implication of the report CPIC's first.
        var clopidogrel = enriched.TherapeuticImplications.Where(i => i.Medication?.Text == "clopidogrel").ToList();
        Assert.Equal(["CPIC", "CPIC", "CPIC", "DPWG"], clopidogrel.Select(i => i.Key.Split(':')[1]));
        var sources = enriched.TherapeuticImplications.Select(i => i.Key.Split(':')[1]).ToList();
        Assert.Equal(sources.OrderBy(s => s == "CPIC" ? 0 : 1), sources);

        var acs = clopidogrel.Single(i => i.Conclusion!.Contains("population CVI ACS PCI", StringComparison.Ordinal));
        Assert.Equal(["4a"], acs.DerivedFromKeys);
        Assert.Equal(new Coding(Coding.RxNorm, "32968", "clopidogrel"), acs.Medication!.Codings[0]);
        Assert.Equal("PA449053", acs.Medication.Codings[1].Code); // the PharmGKB id kept beside RxNorm
        Assert.Equal("LA10317-8", acs.Implications[0].Codings[0].Code); // intermediate metabolizer
        Assert.Equal("LA26421-0", acs.Recommendation!.Codings[0].Code); // consider an alternative
        Assert.StartsWith("Avoid standard dose (75 mg) clopidogrel if possible.", acs.Recommendation.Text, StringComparison.Ordinal);
        Assert.Equal("https://www.pharmgkb.org/guidelineAnnotation/PA166104948", acs.GuidelineUrl);
        Assert.Equal("CPIC Strong", acs.EvidenceLevel!.Text);

        // "No recommendation" for the non-ACS population: an implication, but nothing for a Task to ask.
        var nonAcs = clopidogrel.Single(i => i.Conclusion!.Contains("population CVI non-ACS non-PCI", StringComparison.Ordinal));
        Assert.Null(nonAcs.Recommendation);
    }

    [Theory]
    [InlineData("*1/*3", "Initiate therapy with lowest recommended starting dose.", "activity score 1.0")] // 1.0 + 0
    [InlineData("*2/*2", "Initiate therapy with lowest recommended starting dose.", "activity score 1.0")] // 0.5 + 0.5
    [InlineData("*1/*2", "Initiate therapy with recommended starting dose.", "activity score 1.5")] // same phenotype, other score
    [InlineData("*3/*3", "Initiate therapy with 25-50% of the lowest recommended starting dose.", "(Poor Metabolizer, activity score 0.0)")]
    public async Task Enrich_Cyp2c9_CelecoxibKeyedByActivityScore(string diplotype, string recommendation, string stated)
    {
        var (enricher, _) = Create();
        var genotype = new GenotypeFinding("4a", new CodedValue([], "CYP2C9 " + diplotype), [Gene("HGNC:2623", "CYP2C9")], []);
        var report = new LabReport { Accession = "A1", Patient = Patient, Genotypes = [genotype] };

        var enriched = await enricher.EnrichAsync(report, "lab-a", TestContext.Current.CancellationToken);

        var celecoxib = Assert.Single(enriched.TherapeuticImplications, i => i.Medication?.Text == "celecoxib");
        Assert.Contains(recommendation, celecoxib.Conclusion, StringComparison.Ordinal);
        Assert.Contains(stated, celecoxib.Conclusion, StringComparison.Ordinal);
        Assert.Equal(Coding.RxNorm, celecoxib.Medication!.Codings[0].System);
    }

    [Fact]
    public async Task Enrich_AmitriptylineWithBothGenes_OneRecommendationFromBothResults()
    {
        var (enricher, _) = Create();
        var report = new LabReport
        {
            Accession = "A1",
            Patient = Patient,
            Genotypes =
            [
                new GenotypeFinding("4a", new CodedValue([], "CYP2C19 *2/*2"), [Gene("HGNC:2621", "CYP2C19")], []),
                new GenotypeFinding("4b", new CodedValue([], "CYP2D6 *1/*4"), [Gene("HGNC:2625", "CYP2D6")], []),
            ],
        };

        var enriched = await enricher.EnrichAsync(report, "lab-a", TestContext.Current.CancellationToken);

        // CYP2C19 Poor Metabolizer with CYP2D6 activity score 1.0: CPIC keys the pair, and says so once.
        var amitriptyline = Assert.Single(enriched.TherapeuticImplications, i => i.Medication?.Text == "amitriptyline" && i.Key.Contains(":CPIC:", StringComparison.Ordinal));
        Assert.Equal(["4a", "4b"], amitriptyline.DerivedFromKeys);
        Assert.Equal(["LA9657-3", "LA10317-8"], amitriptyline.Implications.Select(i => i.Codings[0].Code));
        Assert.Contains("CYP2C19 *2/*2 (Poor Metabolizer); CYP2D6 *1/*4 (Intermediate Metabolizer, activity score 1.0)", amitriptyline.Conclusion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enrich_HlaGlString_AbacavirPositiveFor5701()
    {
        var (enricher, _) = Create();
        var report = new LabReport
        {
            Accession = "A1",
            Patient = Patient,
            Genotypes =
            [
                new GenotypeFinding("4a", new CodedValue(new Coding("http://glstring.org", "hla#3.23.0#HLA-B*15:01:01G+HLA-B*57:01:01G")), [Gene("HGNC:4932", "HLA-B")], []),
            ],
        };

        var enriched = await enricher.EnrichAsync(report, "lab-a", TestContext.Current.CancellationToken);

        var abacavir = enriched.TherapeuticImplications.Where(i => i.Medication?.Text == "abacavir").ToList();
        Assert.Equal(["CPIC", "DPWG"], abacavir.Select(i => i.Key.Split(':')[1]));
        Assert.Equal("HLA-B*57:01 positive", abacavir[0].Implications[0].Text);
        Assert.Equal("LA26421-0", abacavir[0].Recommendation!.Codings[0].Code);
        Assert.DoesNotContain(enriched.TherapeuticImplications, i => i.Conclusion!.Contains("*58:01 positive", StringComparison.Ordinal));
        Assert.Empty(enriched.Skipped);
    }

    [Fact]
    public async Task Enrich_LabPhenotypeDiffers_NotedOnTheStoreImplication()
    {
        var (enricher, _) = Create();
        var genotype = new GenotypeFinding("4a", new CodedValue([], "*2/*2"), [Gene("HGNC:2621", "CYP2C19")], []);
        var lab = new TherapeuticImplicationFinding("4a:therapy1", ["4a"], new CodedValue(new Coding(Coding.RxNorm, "32968", "clopidogrel")),
            [new CodedValue(Coding.LoincCode("LA25391-6", "Normal metabolizer"))]);
        var report = new LabReport { Accession = "A1", Patient = Patient, Genotypes = [genotype], TherapeuticImplications = [lab] };

        var enriched = await enricher.EnrichAsync(report, "lab-a", TestContext.Current.CancellationToken);

        // The lab's stays first; the store's clopidogrel implications carry the note, another drug's do not.
        Assert.Same(lab, enriched.TherapeuticImplications[0]);
        var clopidogrel = enriched.TherapeuticImplications.Skip(1).Where(i => i.Medication?.Text == "clopidogrel").ToList();
        Assert.NotEmpty(clopidogrel);
        Assert.All(clopidogrel, i => Assert.Contains("Normal metabolizer", i.Note, StringComparison.Ordinal));
        Assert.All(clopidogrel, i => Assert.Contains("Poor Metabolizer", i.Note, StringComparison.Ordinal));
        Assert.Null(enriched.TherapeuticImplications.First(i => i.Medication?.Text == "citalopram").Note);
    }

    [Fact]
    public async Task Enrich_SameResultsAgain_ReusedInterpretationKeepsEachReportsOwnNotes()
    {
        // One enricher interprets the same CYP2C19 result three times (the second and third reuse the first's
        // interpretation): with the lab's disagreeing implication, without it, and with it again. Each must read as a
        // fresh enricher's does: the note belongs to the report whose lab disagrees, and to no other.
        var ct = TestContext.Current.CancellationToken;
        var genotype = new GenotypeFinding("4a", new CodedValue([], "*2/*2"), [Gene("HGNC:2621", "CYP2C19")], []);
        var lab = new TherapeuticImplicationFinding("4a:therapy1", ["4a"], new CodedValue(new Coding(Coding.RxNorm, "32968", "clopidogrel")),
            [new CodedValue(Coding.LoincCode("LA25391-6", "Normal metabolizer"))]);
        var disagreeing = new LabReport { Accession = "A1", Patient = Patient, Genotypes = [genotype], TherapeuticImplications = [lab] };
        var plain = new LabReport { Accession = "A2", Patient = Patient, Genotypes = [genotype] };
        var (shared, _) = Create();

        foreach (var report in new[] { disagreeing, plain, disagreeing })
        {
            var reused = await shared.EnrichAsync(report, "lab-a", ct);
            var fresh = await Create().Enricher.EnrichAsync(report, "lab-a", ct);

            Assert.Equal(fresh.TherapeuticImplications.Count, reused.TherapeuticImplications.Count);
            for (var i = 0; i < fresh.TherapeuticImplications.Count; i++)
            {
                var (expected, actual) = (fresh.TherapeuticImplications[i], reused.TherapeuticImplications[i]);
                Assert.Equal((expected.Key, expected.Conclusion, expected.Note, expected.Recommendation?.Text), (actual.Key, actual.Conclusion, actual.Note, actual.Recommendation?.Text));
            }

            var notes = reused.TherapeuticImplications.Count(i => i.Note is not null);
            Assert.True(report == plain ? notes == 0 : notes > 0, $"{report.Accession}: {notes} noted");
        }
    }

    [Fact]
    public async Task Enrich_SameReportTwice_SecondMakesNoStoreRead()
    {
        var (enricher, lookup) = Create();
        var report = new LabReport
        {
            Accession = "A1",
            Patient = Patient,
            Variants = [Acad9Grch38("2a"), Acad9Grch38("2b"), Variant("2c", ("48004-6", new TextValue("NM_000000.1:c.1A>G")))],
            Genotypes = [new GenotypeFinding("4a", new CodedValue([], "CYP2C19 *1/*17"), [Gene("HGNC:2621", "CYP2C19")], [])],
        };
        var ct = TestContext.Current.CancellationToken;

        await enricher.EnrichAsync(report, "lab-a", ct);
        var cold = lookup.StoreReads;
        await enricher.EnrichAsync(report, "lab-a", ct);

        Assert.Equal(cold, lookup.StoreReads);
        // Cold: version, lab profile (no build in the report), 2 genes (ACAD9, CYP2C19), 1 location (the two ACAD9
        // variants share it), 1 unknown HGVS, phenotype, the guideline index, CYP2C19's 3 gene sets (alone, with
        // CYP2D6, with CYP2B6) and the drug table.
        Assert.Equal(12, cold);
    }

    [Fact]
    public async Task Enrich_DistinctKnownAndUnknownVariants_OneStoreReadEachColdNoneWarm()
    {
        static (string, ReportedValue) Hgvs(string code, string hgvs) => (code, new CodedValue(new Coding(Coding.Hgvs, hgvs)));
        static VariantFinding Located(string key, string build, string chromosome, long position, string reference, string alternate, params (string, ReportedValue)[] more) =>
            Variant(key, [
                ("62374-4", new CodedValue(Coding.LoincCode(build))),
                ("48013-7", new CodedValue(new Coding(Coding.RefSeq, chromosome))),
                ("81254-5", new RangeValue(position, position)),
                ("69547-8", new TextValue(reference)),
                ("69551-0", new TextValue(alternate)),
                .. more]);

        var store = new CountingKnowledgeStore(EmbeddedKnowledgeSeed.Instance);
        var (enricher, _) = Create(store);
        var acad9 = Acad9Grch38("2a");
        VariantFinding[] variants =
        [
            // known by location; its HGVS must not cost reads of their own
            acad9 with
            {
                Components =
                [
                    .. acad9.Components,
                    .. Variant("-", Hgvs("48004-6", "NM_014049.4:c.1249C>T"), Hgvs("81290-9", "NC_000003.12:g.128906220C>T")).Components,
                ],
            },
            Located("2b", "LA14029-5", "NC_000011.9", 126145284, "C", "T"),
            // unknown by location: the HGVS is not tried after the miss
            Located("2c", "LA26806-2", "NC_000003.12", 128906221, "G", "A", Hgvs("48004-6", "NM_014049.4:c.9999C>T"), Hgvs("81290-9", "NC_000003.12:g.128906221G>A")),
            Located("2d", "LA26806-2", "NC_000017.11", 43000000, "A", "G"),
            // no coordinates: known by c. and by g. HGVS (an HL7 report with HGVS only still finds ClinVar's classification)
            Variant("2e", Hgvs("48004-6", "NM_007294.3:c.5266dupC")),
            Variant("2f", Hgvs("81290-9", "NC_000015.9:g.85342440G>A")),
            // no coordinates, unknown: one read for the best HGVS, none for the others
            Variant("2g", Hgvs("48004-6", "ENST00000000001.1:c.5A>T"), Hgvs("81290-9", "NC_000001.11:g.100A>G"), Hgvs("48004-6", "NM_000000.1:c.1A>G")),
            Variant("2h", Hgvs("48004-6", "ENST00000000002.1:c.7G>C")),
            // the same variant as 2a under another key: served by the cache
            Acad9Grch38("2i"),
        ];
        const int distinctVariants = 8;
        var report = new LabReport
        {
            Accession = "A1",
            Patient = Patient,
            GenomeBuild = new CodedValue(Coding.LoincCode("LA26806-2", "GRCh38")),
            Variants = variants,
            Genotypes = [new GenotypeFinding("4a", new CodedValue([], "CYP2C19 *1/*2"), [Gene("HGNC:2621", "CYP2C19")], [])],
        };
        var ct = TestContext.Current.CancellationToken;

        var enriched = await enricher.EnrichAsync(report, "lab-a", ct);
        var cold = store.Ids;
        await enricher.EnrichAsync(report, "lab-a", ct);

        const int fixedReads = 9; // version, the genes ACAD9 (2a, 2i) and CYP2C19, its phenotype, the guideline index, 3 gene sets, the drug table
        Assert.True(cold.Count <= distinctVariants + fixedReads, $"{cold.Count} cold reads: {string.Join(", ", cold)}");
        Assert.Equal(distinctVariants, cold.Count(id => id.StartsWith("variant:", StringComparison.Ordinal) || id.StartsWith("hgvs:", StringComparison.Ordinal)));
        Assert.Contains("hgvs:NM_000000:c.1A>G", cold);
        Assert.Equal(cold.Count, store.Reads);
        Assert.Equal(
            ["2a", "2b", "2e", "2f", "2i"],
            enriched.DiagnosticImplications.Select(i => Assert.Single(i.DerivedFromKeys)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Enrich_ReportWithoutBuild_LabProfilesBuildLocatesTheVariant()
    {
        var (enricher, _) = Create();
        var variant = Acad9Grch38();
        variant = variant with { Components = [.. variant.Components.Where(c => c.Code.Code != "62374-4")] };
        var report = new LabReport { Accession = "A1", Patient = Patient, Variants = [variant] };

        Assert.Single((await enricher.EnrichAsync(report, "example-lab", TestContext.Current.CancellationToken)).DiagnosticImplications);
        Assert.Empty((await enricher.EnrichAsync(report, "lab-a", TestContext.Current.CancellationToken)).DiagnosticImplications);
    }

    [Fact]
    public async Task Enrich_LabLocalCode_GainsLoincFromTheLabsCodeMap()
    {
        var (enricher, _) = Create();
        var report = new LabReport
        {
            Accession = "A1",
            Patient = Patient,
            TestCode = new CodedValue(new Coding("urn:lab:local", "SL-CGPANEL", "Germline panel")),
        };

        var enriched = await enricher.EnrichAsync(report, "example-lab", TestContext.Current.CancellationToken);
        var other = await enricher.EnrichAsync(report, "another-lab", TestContext.Current.CancellationToken);

        Assert.Equal(Coding.LoincCode("51969-4", "Genetic analysis report"), enriched.TestCode!.Codings[1]);
        Assert.Single(other.TestCode!.Codings);
    }
}
