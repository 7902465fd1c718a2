using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Fhir.Genomics;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Tests.Fhir.Genomics;

[Trait("Tier", "Fast")]
public sealed class GenomicReportBuilderTests
{
    private const string LabId = "lab-a";
    private const string Accession = "ACC-1";

    private static readonly ReportProvenance Provenance = new(
        LabId, "incoming/lab-a/run.hl7", new string('0', 64), "run.hl7", 0, 1, new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero), "0.1.0");

    private static readonly byte[] Pdf = "%PDF-1.4 report"u8.ToArray();

    [Fact]
    public void Build_RichReport_WritesEveryResourceKindWithItsProfile()
    {
        var transaction = GenomicReportBuilder.Build(RichReport(), Provenance);

        var resources = Resources(transaction);
        Assert.Equal(
            [
                "Patient", "ServiceRequest", "Specimen", "Procedure genomic-study-analysis", "Procedure genomic-study",
                "Observation variant", "Observation variant",
                "Observation haplotype", "Observation haplotype", "Observation genotype",
                "Observation diagnostic-implication", "Observation therapeutic-implication", "Task medication-recommendation",
                "Observation", "DocumentReference", "DocumentReference", "DiagnosticReport genomic-report", "Provenance",
            ],
            resources.Select(r => $"{r["resourceType"]} {Profile(r)}".Trim()));
        Assert.Equal(Accession, transaction.Accession);
        Assert.Equal(1, transaction.PatientCount);
        Assert.Equal(17, transaction.OwnedReferences.Count); // the lab's PDF and the original file each a DocumentReference
        Assert.Equal($"DiagnosticReport/{Id("DiagnosticReport", "report")}", transaction.ReportReference);
    }

    [Fact]
    public void Build_RichReport_IdsComeFromLabAccessionKindAndKey()
    {
        var transaction = GenomicReportBuilder.Build(RichReport(), Provenance);

        var references = transaction.OwnedReferences;
        Assert.Contains($"Observation/{Id("Variant", "2.1")}", references);
        Assert.Contains($"Observation/{Id("Variant", "sv")}", references);
        Assert.Contains($"Observation/{Id("Haplotype", "h1")}", references);
        Assert.Contains($"Observation/{Id("Genotype", "g1")}", references);
        Assert.Contains($"Observation/{Id("DiagnosticImplication", "dx")}", references);
        Assert.Contains($"Observation/{Id("TherapeuticImplication", "tx")}", references);
        Assert.Contains($"Observation/{Id("LabResult", "lab1")}", references);
        Assert.Contains($"Task/{Id("MedicationRecommendation", "tx")}", references);
        Assert.Contains($"Specimen/{Id("Specimen", "S1")}", references);
        Assert.Contains($"ServiceRequest/{Id("ServiceRequest", "order")}", references);
        Assert.Contains($"DocumentReference/{Id("DocumentReference", "pdf")}", references);
        Assert.Contains($"Provenance/{Id("Provenance", "unit")}", references);
        Assert.Contains($"Procedure/{Id("GenomicStudy", "study")}", references);
        Assert.Contains($"Procedure/{Id("GenomicStudyAnalysis", "analysis")}", references);
        Assert.All(Entries(transaction).Skip(1), e => Assert.Equal("PUT", (string?)e["request"]!["method"]));
    }

    [Fact]
    public void Build_RichReport_ReportPointsAtEveryObservationTheOrderSpecimenTaskAndDocument()
    {
        var transaction = GenomicReportBuilder.Build(RichReport(), Provenance);

        var report = Resource(transaction, "DiagnosticReport");
        var observations = Resources(transaction).Where(r => (string?)r["resourceType"] == "Observation").Select(r => $"Observation/{r["id"]}");
        Assert.Equal(observations, report["result"]!.AsArray().Select(r => (string?)r!["reference"]));
        Assert.Equal($"ServiceRequest/{Id("ServiceRequest", "order")}", (string?)report["basedOn"]![0]!["reference"]);
        Assert.Equal($"Specimen/{Id("Specimen", "S1")}", (string?)report["specimen"]![0]!["reference"]);
        Assert.Equal($"Task/{Id("MedicationRecommendation", "tx")}", (string?)report["extension"]![0]!["valueReference"]!["reference"]);
        Assert.Equal(["51969-4", "PANEL-7"], report["code"]!["coding"]!.AsArray().Select(c => (string?)c!["code"]));
        Assert.Equal("GE", (string?)report["category"]![0]!["coding"]![0]!["code"]);
        Assert.Equal(Accession, (string?)report["identifier"]![0]!["value"]);
        Assert.Equal(Convert.ToBase64String(Pdf), (string?)report["presentedForm"]![0]!["data"]);

        var document = Resources(transaction).Single(r => (string?)r["id"] == Id("DocumentReference", "pdf").ToString());
        Assert.Equal("current", (string?)document["status"]);
        Assert.Equal("application/pdf", (string?)document["content"]![0]!["attachment"]!["contentType"]);
        Assert.Equal(transaction.ReportReference, (string?)document["context"]!["related"]![0]!["reference"]);
    }

    [Fact]
    public void Build_RichReport_DerivedFromResolvesFindingKeys()
    {
        var transaction = GenomicReportBuilder.Build(RichReport(), Provenance);

        Assert.Equal([$"Observation/{Id("Variant", "2.1")}"], DerivedFrom(transaction, Id("DiagnosticImplication", "dx")));
        Assert.Equal([$"Observation/{Id("Variant", "2.1")}"], DerivedFrom(transaction, Id("Haplotype", "h1")));
        Assert.Equal(
            [$"Observation/{Id("Haplotype", "h1")}", $"Observation/{Id("Haplotype", "h2")}"],
            DerivedFrom(transaction, Id("Genotype", "g1")));
        Assert.Equal([$"Observation/{Id("Genotype", "g1")}"], DerivedFrom(transaction, Id("TherapeuticImplication", "tx")));
        var task = Resource(transaction, "Task");
        Assert.Equal($"Observation/{Id("TherapeuticImplication", "tx")}", (string?)task["reasonReference"]!["reference"]);
    }

    [Fact]
    public void Build_RichReport_PatientIsConditionallyCreatedByFirstIdentifier()
    {
        var transaction = GenomicReportBuilder.Build(RichReport(), Provenance);

        var entry = Entries(transaction)[0];
        Assert.Equal("POST", (string?)entry["request"]!["method"]);
        Assert.Equal("identifier=urn%3Aoid%3A1.2.3.4.5|MRN-1", (string?)entry["request"]!["ifNoneExist"]);
        var patient = entry["resource"]!;
        Assert.Null(patient["id"]);
        Assert.Equal("Doe", (string?)patient["name"]![0]!["family"]);
        Assert.Equal("1980-04-02", (string?)patient["birthDate"]);
        Assert.Equal("female", (string?)patient["gender"]);
        var fullUrl = (string?)entry["fullUrl"];
        Assert.StartsWith("urn:uuid:", fullUrl, StringComparison.Ordinal);
        Assert.All(
            Resources(transaction).Where(r => r["subject"] is not null),
            r => Assert.Equal(fullUrl, (string?)r["subject"]!["reference"]));
    }

    [Fact]
    public void Build_Variant_ComponentsTakeTheValueTypeTheirSliceRequires()
    {
        var transaction = GenomicReportBuilder.Build(RichReport(), Provenance);

        var variant = Observation(transaction, Id("Variant", "2.1"));
        Assert.Equal("LA9633-4", (string?)variant["valueCodeableConcept"]!["coding"]![0]!["code"]);
        var hgvs = Component(variant, "48004-6")["valueCodeableConcept"]!["coding"]![0]!;
        Assert.Equal(("http://varnomen.hgvs.org", "NM_000106.6:c.506G>A"), ((string?)hgvs["system"], (string?)hgvs["code"]));
        Assert.Equal("""{"low":{"value":42130692}}""", Component(variant, "81254-5")["valueRange"]!.ToJsonString());
        Assert.Equal("G", (string?)Component(variant, "69547-8")["valueString"]);
        Assert.Equal("0.5", Component(variant, "81258-6")["valueQuantity"]!["value"]!.ToJsonString());
        Assert.Equal("""{"text":"germline"}""", Component(variant, "48002-0")["valueCodeableConcept"]!.ToJsonString());
        Assert.Equal("LA26806-2", (string?)Component(variant, "62374-4")["valueCodeableConcept"]!["coding"]![0]!["code"]);

        var structural = Observation(transaction, Id("Variant", "sv"));
        Assert.Equal("""{"low":{"value":3},"high":{"value":4}}""", Component(structural, "82155-3")["valueRange"]!.ToJsonString());
        Assert.NotNull(Component(structural, "81302-2")["valueRange"]);
    }

    [Fact]
    public void Build_ComponentsAndKeysTheProfileCannotTake_AreReportedAsSkippedNotWritten()
    {
        var transaction = GenomicReportBuilder.Build(RichReport(), Provenance);

        var variant = Observation(transaction, Id("Variant", "2.1"));
        var codes = variant["component"]!.AsArray().Select(c => (string?)c!["code"]!["coding"]![0]!["code"]).ToList();
        Assert.DoesNotContain("81255-2", codes);
        Assert.Single(codes, c => c == "69551-0");
        Assert.Equal(
            [
                "parser: OBX 9 was not mapped",
                "variant 2.1 69551-0: the IG variant profile allows one 'alt-allele' component; a repeat was not written",
                "variant 2.1 81255-2: the IG variant profile has no component slice for http://loinc.org|81255-2",
                "variant 2.1 82121-5: a date-time value does not fit the IG slice 'allelic-read-depth' (82121-5), which takes Quantity",
                "diagnostic implication dx derivedFrom: derived from 'missing', which is no finding of this report",
                "diagnostic implication orphan derivedFrom: derived from 'nowhere', which is no finding of this report",
                "diagnostic implication orphan derivedFrom: the implication is derived from no finding of this report (the IG requires one)",
            ],
            transaction.Skipped.Select(s => $"{s.Position.Path ?? "parser"}{(s.Position.Field is { } f && s.Position.Path is not null ? " " + f : "")}: {s.Reason}"));
        Assert.DoesNotContain(transaction.OwnedReferences, r => r.EndsWith(Id("DiagnosticImplication", "orphan"), StringComparison.Ordinal));
    }

    [Fact]
    public void Build_SameImplicationFindingsInTwoReports_SameComponentsAndEachBuildListsItsOwnSkips()
    {
        // The store's findings are shared between reports with the same results, and their components are written once
        // per finding: the second report's must read the same, and a component that does not fit (an empty
        // phenotype) must be skipped, and said, in every report's build, not only the first.
        var fits = RichReport().TherapeuticImplications[0] with { Conclusion = "Tramadol: use an alternative. CPIC classification: Strong." };
        var misfit = fits with { Key = "tx2", Implications = [new CodedValue([], null)] };
        var first = RichReport() with { TherapeuticImplications = [fits, misfit] };
        var second = first with { Accession = "ACC-2", Patient = new PatientDetails([new PatientIdentifier("urn:oid:2.16.840.1.113883.19.5", "MRN-2")]) };

        using var one = GenomicReportBuilder.Build(first, Provenance);
        using var two = GenomicReportBuilder.Build(second, Provenance);
        using var again = GenomicReportBuilder.Build(first, Provenance);

        JsonNode? ComponentsOf(ReportTransaction transaction, string accession, string key) =>
            Resources(transaction).Single(r => (string?)r["id"] == DeterministicIds.ForReportResource(LabId, accession, "TherapeuticImplication", key))["component"];
        Assert.Equal(ComponentsOf(one, Accession, "tx")!.ToJsonString(), ComponentsOf(two, "ACC-2", "tx")!.ToJsonString());
        Assert.Contains("Tramadol: use an alternative.", ComponentsOf(two, "ACC-2", "tx")!.ToJsonString(), StringComparison.Ordinal);
        foreach (var transaction in new[] { one, two, again })
            Assert.Single(transaction.Skipped, s => s.Position.Path == "therapeutic implication tx2");
        Assert.Equal(one.Bundles.Select(b => b.ToJsonString()), again.Bundles.Select(b => b.ToJsonString()));
    }

    [Fact]
    public void Build_RichReport_ThePatientAndStatusThePipelineReadsAreThoseWritten()
    {
        using var transaction = GenomicReportBuilder.Build(RichReport(), Provenance);

        var entry = Entries(transaction).Single(e => (string?)e["resource"]!["resourceType"] == "Patient");
        var condition = (string)entry["request"]!["ifNoneExist"]!;
        var patient = Assert.Single(transaction.Patients);
        Assert.Equal((string?)entry["fullUrl"], patient.FullUrl);
        Assert.Equal($"identifier={Uri.EscapeDataString(patient.System)}|{Uri.EscapeDataString(patient.Value)}", condition);
        var written = ReportPatient.Of(entry["resource"]!.AsObject());
        Assert.Equal(["Doe"], patient.FamilyNames);
        Assert.Equal(written.FamilyNames, patient.FamilyNames);
        Assert.Equal(("1980-04-02", "female"), (patient.BirthDate, patient.Gender));
        Assert.Equal((written.BirthDate, written.Gender), (patient.BirthDate, patient.Gender));
        Assert.Equal((string?)Resource(transaction, "DiagnosticReport")["status"], transaction.ReportStatus);
    }

    [Fact]
    public void Build_SameReportTwice_WritesIdenticalBundles()
    {
        var first = GenomicReportBuilder.Build(RichReport(), Provenance);
        var second = GenomicReportBuilder.Build(RichReport(), Provenance);

        Assert.Equal(first.Bundles.Select(b => b.ToJsonString()), second.Bundles.Select(b => b.ToJsonString()));
    }

    [Theory]
    [InlineData(ReportTransactionBuilder.MaxEntriesPerBundle)]
    [InlineData(4)]
    public void Build_WrittenBundles_AreTheBundlesAsParsed(int maxEntriesPerBundle)
    {
        using var transaction = GenomicReportBuilder.Build(RichReport(), Provenance, maxEntriesPerBundle);

        // Written before anyone reads Bundles: the builder's own UTF-8, which must be the same JSON the nodes give.
        var written = Enumerable.Range(0, transaction.BundleCount).Select(i => Utf8(transaction, i)).ToList();

        Assert.Equal(transaction.Bundles.Count, transaction.BundleCount);
        Assert.Equal(transaction.Bundles.Select(b => b.ToJsonString()), written);
    }

    [Theory]
    [InlineData(ReportTransactionBuilder.MaxEntriesPerBundle)]
    [InlineData(4)]
    public void SetReportStatus_Amended_TheWrittenReportIsAmendedAndNothingElseChanges(int maxEntriesPerBundle)
    {
        // ReportAmendments rewrites the report's status in the builder's UTF-8: only that value changes.
        using var transaction = GenomicReportBuilder.Build(RichReport(), Provenance, maxEntriesPerBundle);
        var before = Enumerable.Range(0, transaction.BundleCount).Select(i => Utf8(transaction, i)).ToList();
        Assert.Equal("final", transaction.ReportStatus);

        transaction.SetReportStatus("amended");

        var after = Enumerable.Range(0, transaction.BundleCount).Select(i => Utf8(transaction, i)).ToList();
        Assert.Equal("amended", transaction.ReportStatus);
        Assert.Equal(before[..^1], after[..^1]);
        var last = JsonNode.Parse(after[^1])!;
        var report = last["entry"]!.AsArray().Single(e => (string?)e!["resource"]!["resourceType"] == "DiagnosticReport")!["resource"]!;
        Assert.Equal("amended", (string?)report["status"]);
        report["status"] = "final";
        Assert.Equal(JsonNode.Parse(before[^1])!.ToJsonString(), last.ToJsonString());
    }

    [Fact]
    public void Build_DisposedBeforeBundlesWereRead_SaysSoRatherThanReadingAReturnedBuffer()
    {
        var transaction = GenomicReportBuilder.Build(RichReport(), Provenance);
        transaction.Dispose();

        Assert.Throws<ObjectDisposedException>(() => transaction.Bundles);
    }

    [Fact]
    public void Build_Copied_TheCopyHasBundlesOfItsOwn()
    {
        var transaction = GenomicReportBuilder.Build(RichReport(), Provenance);
        var copy = transaction with { KnowledgeVersion = "v2" };
        var json = copy.Bundles.Select(b => b.ToJsonString()).ToList();
        transaction.Dispose();

        Assert.Equal(json, copy.Bundles.Select(b => b.ToJsonString()));
    }

    [Fact]
    public void Build_AfterAReportOfMegabytes_TheNextReportIsWrittenTheSame()
    {
        // A large VCF report makes the thread drop its grown write buffer: the next build must not notice.
        var expected = GenomicReportBuilder.Build(RichReport(), Provenance).Bundles.Select(b => b.ToJsonString()).ToList();
        var variants = Enumerable.Range(0, 3000).Select(i => new VariantFinding(
            $"v{i}", VariantAssessment.Present, [new ReportComponent(Coding.LoincCode("81290-9"), new TextValue($"NC_000001.11:g.{1000 + i}A>G"))])).ToList();

        using (var large = GenomicReportBuilder.Build(RichReport() with { Variants = variants }, Provenance))
        {
            Assert.True(Enumerable.Range(0, large.BundleCount).Sum(i => Utf8(large, i).Length) > 1024 * 1024);
            Assert.True(large.OwnedReferences.Count > 3000);
        }

        Assert.Equal(expected, GenomicReportBuilder.Build(RichReport(), Provenance).Bundles.Select(b => b.ToJsonString()));
    }

    private static string Utf8(ReportTransaction transaction, int bundle)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        transaction.WriteBundle(bundle, buffer);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Build_VariantsWithDifferentOrRepeatedKeys_NeverCollapse()
    {
        VariantFinding Variant(string key) => new(key, VariantAssessment.Present, [new ReportComponent(Coding.LoincCode("69547-8"), new TextValue("A"))]);
        var report = RichReport() with { Variants = [Variant("a"), Variant("b"), Variant("b")] };

        var transaction = GenomicReportBuilder.Build(report, Provenance);

        var variants = Resources(transaction).Where(r => Profile(r) == "variant").Select(r => (string?)r["id"]).ToList();
        Assert.Equal(3, variants.Distinct().Count());
        Assert.Equal(Id("Variant", "a"), variants[0]);
        Assert.Equal(Id("Variant", "b"), variants[1]);
        Assert.NotEqual(Id("Variant", "a"), Id("Variant", "b"));
    }

    [Fact]
    public void Build_SmallBundleSize_ChunksWithPatientInEachAndReportLast()
    {
        var transaction = GenomicReportBuilder.Build(RichReport(), Provenance, maxEntriesPerBundle: 4);

        Assert.True(transaction.Bundles.Count > 1);
        Assert.All(transaction.Bundles, b => Assert.InRange(b["entry"]!.AsArray().Count, 2, 4));
        Assert.All(transaction.Bundles, b => Assert.Equal("Patient", (string?)b["entry"]![0]!["resource"]!["resourceType"]));
        var last = transaction.Bundles[^1]["entry"]!.AsArray().Select(e => (string?)e!["resource"]!["resourceType"]).ToList();
        Assert.Equal(["DiagnosticReport", "Provenance"], last[^2..]);
        var puts = transaction.Bundles.SelectMany(b => b["entry"]!.AsArray()).Where(e => (string?)e!["request"]!["method"] == "PUT");
        Assert.Equal(transaction.OwnedReferences.Order(StringComparer.Ordinal), puts.Select(e => (string?)e!["request"]!["url"]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Build_CorrectedReport_CarriesCorrectedStatusThrough()
    {
        var transaction = GenomicReportBuilder.Build(RichReport() with { Status = ReportStatus.Corrected }, Provenance);

        Assert.Equal("corrected", (string?)Resource(transaction, "DiagnosticReport")["status"]);
        Assert.Equal("corrected", (string?)Observation(transaction, Id("Genotype", "g1"))["status"]);
        Assert.Equal("final", (string?)Observation(transaction, Id("Variant", "sv"))["status"]);
    }

    [Fact]
    public void Build_LabResultsOnly_WritesAPlainLaboratoryReport()
    {
        var report = new LabReport { Accession = Accession, Patient = RichReport().Patient, LabResults = RichReport().LabResults };

        var transaction = GenomicReportBuilder.Build(report, Provenance);

        var diagnosticReport = Resource(transaction, "DiagnosticReport");
        Assert.Null(diagnosticReport["meta"]);
        Assert.Equal("LAB", (string?)diagnosticReport["category"]![0]!["coding"]![0]!["code"]);
        var observation = Resource(transaction, "Observation");
        Assert.Null(observation["meta"]);
        Assert.Equal(["laboratory"], observation["category"]!.AsArray().Select(c => (string?)c!["coding"]![0]!["code"]));
        Assert.Equal("mg/dL", (string?)observation["valueQuantity"]!["code"]);
        Assert.Empty(transaction.Skipped);
    }

    [Fact]
    public void Build_GenesBuildAndRegions_WritesAStudyWithOneAnalysisTheReportPointsAt()
    {
        var report = RichReport() with
        {
            GenesStudied = [new CodedValue(new Coding(Coding.Hgnc, "HGNC:2625", "CYP2D6")), new CodedValue([], "CYP2C19")],
            RegionsStudied = ["chr22:42126499-42130881", " ", "exons 1-9"],
        };

        var transaction = GenomicReportBuilder.Build(report, Provenance);

        var studyReference = $"Procedure/{Id("GenomicStudy", "study")}";
        var analysisReference = $"Procedure/{Id("GenomicStudyAnalysis", "analysis")}";
        var diagnosticReport = Resource(transaction, "DiagnosticReport");
        var link = Extension(diagnosticReport, GenomicsCodes.GenomicStudyReferenceExtension);
        Assert.Equal(studyReference, (string?)link["valueReference"]!["reference"]);

        var study = Procedure(transaction, "genomic-study");
        Assert.Equal(studyReference, $"Procedure/{study["id"]}");
        Assert.Equal(analysisReference, (string?)Extension(study, GenomicsCodes.GenomicStudyAnalysisExtension)["valueReference"]!["reference"]);
        Assert.Equal($"ServiceRequest/{Id("ServiceRequest", "order")}", (string?)study["basedOn"]![0]!["reference"]);
        Assert.Equal("completed", (string?)study["status"]);
        Assert.Equal("laboratory", (string?)study["category"]!["coding"]![0]!["code"]);
        Assert.Equal("PANEL-7", (string?)study["code"]!["coding"]![0]!["code"]);
        Assert.Equal("2026-02-20", (string?)study["performedDateTime"]);

        var analysis = Procedure(transaction, "genomic-study-analysis");
        Assert.Equal(analysisReference, $"Procedure/{analysis["id"]}");
        Assert.Equal("completed", (string?)analysis["status"]);
        Assert.Null(analysis["code"]);
        Assert.Equal((string?)study["subject"]!["reference"], (string?)analysis["subject"]!["reference"]);
        Assert.StartsWith("urn:uuid:", (string?)analysis["subject"]!["reference"], StringComparison.Ordinal);
        var build = Extension(analysis, GenomicsCodes.GenomeBuildExtension)["valueCodeableConcept"]!["coding"]![0]!;
        Assert.Equal((Coding.Loinc, "LA26806-2"), ((string?)build["system"], (string?)build["code"]));
        Assert.Equal(
            $"Specimen/{Id("Specimen", "S1")}",
            (string?)Extension(analysis, GenomicsCodes.AnalysisSpecimenExtension)["valueReference"]!["reference"]);
        var regions = Extension(analysis, GenomicsCodes.RegionsExtension)["extension"]!.AsArray().Select(e => e!.AsObject()).ToList();
        Assert.Equal(["description", "studied", "studied"], regions.Select(r => (string?)r["url"]));
        Assert.Equal("chr22:42126499-42130881\nexons 1-9", (string?)regions[0]["valueString"]);
        Assert.Equal("HGNC:2625", (string?)regions[1]["valueCodeableConcept"]!["coding"]![0]!["code"]);
        Assert.Equal("""{"text":"CYP2C19"}""", regions[2]["valueCodeableConcept"]!.ToJsonString());
        Assert.DoesNotContain(transaction.Skipped, s => s.Position.Field is "genes studied" or "regions studied");
    }

    [Fact]
    public void Build_StudyResources_ComeBeforeTheReportAndAfterWhatTheyReference()
    {
        var transaction = GenomicReportBuilder.Build(RichReport() with { GenesStudied = [new CodedValue(new Coding(Coding.Hgnc, "HGNC:2625", "CYP2D6"))] }, Provenance);

        var order = Resources(transaction).Select(r => $"{r["resourceType"]} {Profile(r)}".Trim()).ToList();
        Assert.True(order.IndexOf("Specimen") < order.IndexOf("Procedure genomic-study-analysis"));
        Assert.True(order.IndexOf("Procedure genomic-study-analysis") < order.IndexOf("Procedure genomic-study"));
        Assert.True(order.IndexOf("Procedure genomic-study") < order.IndexOf("DiagnosticReport genomic-report"));
    }

    [Fact]
    public void Build_ProblemsCountedBeyondTheListed_NotedAfterTheReportsNotes()
    {
        var transaction = GenomicReportBuilder.Build(RichReport() with { Notes = ["lab note"], UnlistedProblems = 3 }, Provenance);

        var notes = Resource(transaction, "DiagnosticReport")["extension"]!.AsArray()
            .Where(e => (string?)e!["url"] == GenomicsCodes.ReportNoteExtension).Select(e => (string?)e!["valueAnnotation"]!["text"]);
        Assert.Equal(["lab note", "3 further positioned problems were counted, not listed"], notes);
    }

    [Fact]
    public void Build_NoGenesBuildOrRegions_WritesNoStudy()
    {
        var transaction = GenomicReportBuilder.Build(RichReport() with { GenomeBuild = null, RegionsStudied = ["  "] }, Provenance);

        Assert.DoesNotContain(Resources(transaction), r => (string?)r["resourceType"] == "Procedure");
        var extensions = Resource(transaction, "DiagnosticReport")["extension"]!.AsArray();
        Assert.DoesNotContain(extensions, e => (string?)e!["url"] == GenomicsCodes.GenomicStudyReferenceExtension);
    }

    [Fact]
    public void Build_RegionsOnlyOnAPreliminaryReport_StudyInProgressAnalysisCompletedWithoutBuild()
    {
        var report = new LabReport
        {
            Accession = Accession,
            Patient = RichReport().Patient,
            Status = ReportStatus.Preliminary,
            RegionsStudied = ["BRCA1 exons 2-24"],
        };

        var transaction = GenomicReportBuilder.Build(report, Provenance);

        Assert.Equal("in-progress", (string?)Procedure(transaction, "genomic-study")["status"]);
        var analysis = Procedure(transaction, "genomic-study-analysis");
        Assert.Equal("completed", (string?)analysis["status"]);
        Assert.Equal([GenomicsCodes.RegionsExtension], analysis["extension"]!.AsArray().Select(e => (string?)e!["url"]));
        Assert.Null(Procedure(transaction, "genomic-study")["basedOn"]);
        Assert.Equal(GenomicsCodes.GenomicReportProfile, (string?)Resource(transaction, "DiagnosticReport")["meta"]!["profile"]![0]);
    }

    [Theory]
    [InlineData("GRCh37", "LA14029-5")]
    [InlineData("grch38.p14", "LA26806-2")]
    public void Build_GenomeBuildNamedOnlyInText_GetsTheLoincAnswerBesideTheLabsWords(string text, string answer)
    {
        var transaction = GenomicReportBuilder.Build(RichReport() with { GenomeBuild = new CodedValue([], text) }, Provenance);

        var build = Extension(Procedure(transaction, "genomic-study-analysis"), GenomicsCodes.GenomeBuildExtension)["valueCodeableConcept"]!;
        Assert.Equal(answer, (string?)build["coding"]![0]!["code"]);
        Assert.Equal(text, (string?)build["text"]);
    }

    [Fact]
    public void Build_UnknownGenomeBuild_IsKeptAsTheLabSentIt()
    {
        var transaction = GenomicReportBuilder.Build(RichReport() with { GenomeBuild = new CodedValue([new Coding("urn:lab:builds", "hg19")]) }, Provenance);

        var build = Extension(Procedure(transaction, "genomic-study-analysis"), GenomicsCodes.GenomeBuildExtension)["valueCodeableConcept"]!;
        Assert.Equal("""{"coding":[{"system":"urn:lab:builds","code":"hg19"}]}""", build.ToJsonString());
    }

    [Fact]
    public void Build_IssuedWithoutZone_IsLeftOutAndReportedNeverGivenAZone()
    {
        var transaction = GenomicReportBuilder.Build(RichReport() with { Issued = "2026-02-27T14:05:00" }, Provenance);

        Assert.Null(Resource(transaction, "DiagnosticReport")["issued"]);
        Assert.All(Resources(transaction).Where(r => (string?)r["resourceType"] == "Observation"), o => Assert.Null(o["issued"]));
        var skipped = Assert.Single(transaction.Skipped, s => s.Position.Field == "issued");
        Assert.Equal("report", skipped.Position.Path);
        Assert.Contains("no zone", skipped.Reason, StringComparison.Ordinal);
        Assert.Contains("instant", skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_DateOnlyIssued_IsLeftOutAsNotAnInstant()
    {
        var transaction = GenomicReportBuilder.Build(RichReport() with { Issued = "2026-02-27" }, Provenance);

        Assert.Null(Resource(transaction, "DiagnosticReport")["issued"]);
        Assert.Equal("not a FHIR instant (date, time to the second and zone)", Assert.Single(transaction.Skipped, s => s.Position.Field == "issued").Reason);
    }

    [Fact]
    public void Build_EffectiveWithoutZone_IsWrittenToTheDayAndReportedOnce()
    {
        var report = RichReport() with { Effective = "2026-02-20T08:15:00", Specimen = new SpecimenDetails("S1", "SP-1", null, "2026-02-18T07:00:00") };

        var transaction = GenomicReportBuilder.Build(report, Provenance);

        Assert.Equal("2026-02-20", (string?)Resource(transaction, "DiagnosticReport")["effectiveDateTime"]);
        Assert.Equal("2026-02-20", (string?)Observation(transaction, Id("Variant", "2.1"))["effectiveDateTime"]);
        Assert.Equal("2026-02-20", (string?)Procedure(transaction, "genomic-study")["performedDateTime"]);
        Assert.Equal("2026-02-18", (string?)Resource(transaction, "Specimen")["collection"]!["collectedDateTime"]);
        Assert.Equal(
            ["report effective", "specimen S1 collected"],
            transaction.Skipped.Where(s => s.Reason == "the time has no zone: a FHIR dateTime with a time of day needs one, so only the day was written")
                .Select(s => $"{s.Position.Path} {s.Position.Field}")
                .Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("2026-02-27T14:05:00", true)]
    [InlineData("2026-02-27T14:05:00.123", true)]
    [InlineData("2026-02-27T14:05:00Z", false)]
    [InlineData("2026-02-27", false)]
    [InlineData("2026-02-27T14:05", false)]
    public void IsZoneless_DateTimes_OnlyAFullTimeWithoutZone(string value, bool zoneless) =>
        Assert.Equal(zoneless, FhirDateTimes.IsZoneless(value));

    private static LabReport RichReport() => new()
    {
        Accession = Accession,
        Patient = new PatientDetails([new PatientIdentifier("urn:oid:1.2.3.4.5", "MRN-1", "MR"), new PatientIdentifier("urn:oid:1.2.3.4.6", "X-9")], "Doe", ["Jane"], "1980-04-02", "F"),
        TestCode = new CodedValue(new Coding("urn:oid:1.2.3.4.7", "PANEL-7", "Pharmacogenomic panel")),
        Effective = "2026-02-20",
        Issued = "2026-02-27T14:05:00Z",
        Order = new OrderDetails("P-1", Accession, null),
        Specimen = new SpecimenDetails("S1", "SP-1", null, "2026-02-18"),
        GenomeBuild = new CodedValue(Coding.LoincCode("LA26806-2", "GRCh38")),
        Variants =
        [
            new VariantFinding(
                "2.1",
                VariantAssessment.Present,
                [
                    new(Coding.LoincCode("48004-6"), new TextValue("NM_000106.6:c.506G>A")),
                    new(Coding.LoincCode("81254-5"), new QuantityValue(42130692m)),
                    new(Coding.LoincCode("69547-8"), new TextValue("G")),
                    new(Coding.LoincCode("69551-0"), new TextValue("A")),
                    new(Coding.LoincCode("69551-0"), new TextValue("T")),
                    new(Coding.LoincCode("81258-6"), new QuantityValue(0.5m)),
                    new(Coding.LoincCode("48002-0"), new TextValue("germline")),
                    new(Coding.LoincCode("81255-2"), new TextValue("rs1065852")),
                    new(Coding.LoincCode("82121-5"), new DateTimeValue("2026-01-01")),
                ],
                Status: "F"),
            new VariantFinding(
                "sv",
                VariantAssessment.Present,
                [
                    new(Coding.LoincCode("82155-3"), new RangeValue(3, 4)),
                    new(Coding.LoincCode("81302-2"), new RangeValue(100, 200)),
                ],
                Structural: true,
                Status: "final"),
        ],
        DiagnosticImplications =
        [
            new DiagnosticImplicationFinding("dx", ["2.1", "missing"], new CodedValue(Coding.LoincCode("LA6668-3", "Pathogenic")), []),
            new DiagnosticImplicationFinding("orphan", ["nowhere"], null, []),
        ],
        Haplotypes =
        [
            new HaplotypeFinding("h1", new CodedValue(new Coding(Coding.PharmVar, "CYP2D6*4")), null, ["2.1"]),
            new HaplotypeFinding("h2", new CodedValue(new Coding(Coding.PharmVar, "CYP2D6*1")), null, []),
        ],
        Genotypes = [new GenotypeFinding("g1", new CodedValue([], "CYP2D6 *1/*4"), [new CodedValue(new Coding(Coding.Hgnc, "HGNC:2625", "CYP2D6"))], ["h1", "h2"])],
        TherapeuticImplications =
        [
            new TherapeuticImplicationFinding(
                "tx",
                ["g1"],
                new CodedValue(new Coding(Coding.RxNorm, "10689", "tramadol")),
                [new CodedValue(Coding.LoincCode("LA10317-8", "Intermediate metabolizer"))],
                new CodedValue(Coding.LoincCode("LA26421-0", "Consider alternative medication"))),
        ],
        LabResults = [new LabResult("lab1", new CodedValue(Coding.LoincCode("2345-7", "Glucose")), new QuantityValue(95m, "mg/dL", Coding.Ucum, "mg/dL"), "F")],
        Documents = [new ReportDocument("pdf", "application/pdf", Pdf, null, "Signed report")],
        Skipped = [new LabFileProblem(new SourcePosition { Segment = "OBX", Field = "OBX-3" }, "OBX 9 was not mapped")],
    };

    private static string Id(string kind, string key) => DeterministicIds.ForReportResource(LabId, Accession, kind, key);

    private static List<JsonObject> Entries(ReportTransaction transaction) =>
        [.. transaction.Bundles.SelectMany(b => b["entry"]!.AsArray()).Select(e => e!.AsObject())];

    private static List<JsonObject> Resources(ReportTransaction transaction) => [.. Entries(transaction).Select(e => e["resource"]!.AsObject())];

    private static JsonObject Resource(ReportTransaction transaction, string type) =>
        Resources(transaction).Single(r => (string?)r["resourceType"] == type);

    private static JsonObject Observation(ReportTransaction transaction, string id) =>
        Resources(transaction).Single(r => (string?)r["resourceType"] == "Observation" && (string?)r["id"] == id);

    private static string? Profile(JsonObject resource) =>
        ((string?)resource["meta"]?["profile"]?[0])?[GenomicsCodes.ProfileBase.Length..];

    private static JsonObject Component(JsonObject observation, string code) =>
        observation["component"]!.AsArray().Select(c => c!.AsObject()).Single(c => (string?)c["code"]!["coding"]![0]!["code"] == code);

    private static JsonObject Procedure(ReportTransaction transaction, string profile) =>
        Resources(transaction).Single(r => (string?)r["resourceType"] == "Procedure" && Profile(r) == profile);

    private static JsonObject Extension(JsonObject resource, string url) =>
        resource["extension"]!.AsArray().Select(e => e!.AsObject()).Single(e => (string?)e["url"] == url);

    private static List<string?> DerivedFrom(ReportTransaction transaction, string id) =>
        [.. Observation(transaction, id)["derivedFrom"]!.AsArray().Select(d => (string?)d!["reference"])];
}
