using System.Text.Json;
using System.Text.Json.Nodes;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Formats.Fhir;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Tests.Formats.Fhir;

namespace PrecisionMed.Core.Tests.Fhir;

[Trait("Tier", "Fast")]
public sealed class ReportTransactionBuilderTests
{
    private const string ContentHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static readonly DateTimeOffset ReceivedAt = new(2026, 3, 14, 9, 26, 53, 120, TimeSpan.FromHours(1));
    private static readonly HashSet<string> LabLevelTypes = ["Organization", "Practitioner", "PractitionerRole", "Location"];

    public static TheoryData<string> IgExamplesWithReport => new(TestFiles.IgExampleNames.Where(n => !n.Contains("compound", StringComparison.Ordinal) && !n.Contains("nonHGVS", StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(TestFiles.IgExamples), MemberType = typeof(TestFiles))]
    public async Task Build_IgExample_ThePatientsAndStatusThePipelineReadsAreThoseTheBundlesCarry(string name)
    {
        var (bundle, unit) = await LoadAsync(name);

        using var transaction = ReportTransactionBuilder.Build(bundle, unit, Provenance());

        var patients = Entries(transaction.Bundles[0]).Where(e => e["request"]!["ifNoneExist"] is not null).ToList();
        Assert.Equal(patients.Count, transaction.PatientCount);
        Assert.Equal(
            patients.Select(e => ((string?)e["fullUrl"], (string?)e["request"]!["ifNoneExist"])),
            transaction.Patients.Select(p => ((string?)p.FullUrl, (string?)$"identifier={Uri.EscapeDataString(p.System)}|{Uri.EscapeDataString(p.Value)}")));
        var report = Entries(transaction.Bundles[^1]).FirstOrDefault(e => (string?)e["request"]!["url"] == transaction.ReportReference);
        Assert.Equal((string?)report?["resource"]!["status"], transaction.ReportStatus);
    }

    [Theory]
    [MemberData(nameof(TestFiles.IgExamples), MemberType = typeof(TestFiles))]
    public async Task Build_IgExample_PutsOwnedResourcesAndConditionallyCreatesPatients(string name)
    {
        var (bundle, unit) = await LoadAsync(name);

        var transaction = ReportTransactionBuilder.Build(bundle, unit, Provenance());

        Assert.NotEmpty(transaction.Bundles);
        foreach (var output in transaction.Bundles)
        {
            Assert.Equal("Bundle", output["resourceType"]!.GetValue<string>());
            Assert.Equal("transaction", output["type"]!.GetValue<string>());
            foreach (var entry in Entries(output))
            {
                var resource = entry["resource"]!.AsObject();
                var request = entry["request"]!.AsObject();
                var type = resource["resourceType"]!.GetValue<string>();
                if (type == "Patient")
                {
                    Assert.Equal("POST", request["method"]!.GetValue<string>());
                    Assert.Equal("Patient", request["url"]!.GetValue<string>());
                    Assert.StartsWith("identifier=", request["ifNoneExist"]!.GetValue<string>(), StringComparison.Ordinal);
                    var fullUrl = entry["fullUrl"]!.GetValue<string>();
                    Assert.StartsWith("urn:uuid:", fullUrl, StringComparison.Ordinal);
                    Assert.True(Guid.TryParse(fullUrl["urn:uuid:".Length..], out _));
                    Assert.False(resource.ContainsKey("id"));
                }
                else
                {
                    Assert.Equal("PUT", request["method"]!.GetValue<string>());
                    var id = resource["id"]!.GetValue<string>();
                    Assert.True(Guid.TryParse(id, out _));
                    Assert.Equal($"{type}/{id}", request["url"]!.GetValue<string>());
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestFiles.IgExamples), MemberType = typeof(TestFiles))]
    public async Task Build_IgExample_GeneratedNarrativeDropped(string name)
    {
        var (bundle, unit) = await LoadAsync(name);
        Assert.Contains(bundle.Entries, e => e.Resource["text"]?["status"]?.GetValue<string>() == "generated");

        var transaction = ReportTransactionBuilder.Build(bundle, unit, Provenance());

        Assert.DoesNotContain(transaction.Bundles.SelectMany(Entries), e => e["resource"]!["text"]?["status"]?.GetValue<string>() == "generated");
    }

    [Theory]
    [MemberData(nameof(TestFiles.IgExamples), MemberType = typeof(TestFiles))]
    public async Task Build_IgExample_EveryReferenceToAnEntryPointsAtItsNewIdentity(string name)
    {
        var (bundle, unit) = await LoadAsync(name);
        var index = new BundleReferenceIndex(bundle);

        var transaction = ReportTransactionBuilder.Build(bundle, unit, Provenance());

        // Pair each input entry with its output: the owned ones are written in entry order with the
        // report moved last (our DocumentReference to the original right before it), then the Provenance; every IG
        // example has exactly one Patient.
        var patientIn = Assert.Single(bundle.Entries, e => e.ResourceType == "Patient");
        var patientOut = Assert.Single(transaction.Bundles[0]["entry"]!.AsArray(), e => e!["request"]!["method"]!.GetValue<string>() == "POST")!;
        var ownedIn = bundle.Entries.Where(e => e.ResourceType != "Patient")
            .OrderBy(e => e.ResourceType == "DiagnosticReport" ? 1 : 0).ThenBy(e => e.Index).ToList();
        var ownedOut = transaction.Bundles.SelectMany(Entries).Where(e => e["request"]!["method"]!.GetValue<string>() == "PUT" && !IsOriginalDocument(e)).SkipLast(1).ToList();
        Assert.Equal(ownedIn.Count, ownedOut.Count);

        var newReference = new Dictionary<int, string> { [patientIn.Index] = patientOut["fullUrl"]!.GetValue<string>() };
        for (var i = 0; i < ownedIn.Count; i++)
        {
            Assert.Equal(ownedIn[i].ResourceType, ownedOut[i]["resource"]!["resourceType"]!.GetValue<string>());
            newReference[ownedIn[i].Index] = ownedOut[i]["request"]!["url"]!.GetValue<string>();
        }

        var pairs = ownedIn.Zip(ownedOut, (input, output) => (input.Resource, Output: output["resource"]!.AsObject()))
            .Append((patientIn.Resource, patientOut["resource"]!.AsObject()));
        var checkedReferences = 0;
        foreach (var (input, output) in pairs)
        {
            var before = References(input);
            var after = References(output);
            Assert.Equal(before.Count, after.Count);
            for (var i = 0; i < before.Count; i++)
            {
                var expected = index.Resolve(before[i]) is { } target ? newReference[target] : before[i];
                Assert.Equal(expected, after[i]);
                checkedReferences++;
            }
        }

        Assert.True(checkedReferences > 0);
        foreach (var reference in transaction.Bundles.SelectMany(Entries).SelectMany(e => References(e["resource"])))
        {
            // Nothing left that names one of the lab's entries by its old id or fullUrl.
            Assert.True(reference.StartsWith('#') || index.Resolve(reference) is null, $"{name}: {reference} still points into the lab's bundle");
        }
    }

    [Theory]
    [InlineData("Bundle-bundle-cgexample.json")]
    [InlineData("Bundle-bundle-cgexample-withGrouping.json")]
    public async Task Build_ReferenceOutsideTheBundle_LeftAsItWas(string name)
    {
        var (bundle, unit) = await LoadAsync(name);

        var transaction = ReportTransactionBuilder.Build(bundle, unit, Provenance());

        var references = transaction.Bundles.SelectMany(Entries).SelectMany(e => References(e["resource"])).ToList();
        Assert.Contains("MedicationStatement/MedicationStatementWarfarin", references);
    }

    [Theory]
    [InlineData("Bundle-bundle-oncologyexamples-r4.json")]
    [InlineData("Bundle-bundle-oncologyexamples-r4-withGrouping.json")]
    public async Task Build_ContainedResources_KeptWithTheirLocalReferences(string name)
    {
        var (bundle, unit) = await LoadAsync(name);
        var withContained = bundle.Entries.Where(e => e.Resource.ContainsKey("contained")).ToList();
        Assert.NotEmpty(withContained);

        var transaction = ReportTransactionBuilder.Build(bundle, unit, Provenance());

        var outputs = transaction.Bundles.SelectMany(Entries).Select(e => e["resource"]!.AsObject()).Where(r => r.ContainsKey("contained")).ToList();
        Assert.Equal(withContained.Count, outputs.Count);
        foreach (var (input, output) in withContained.Select(e => e.Resource).Zip(outputs))
        {
            Assert.True(JsonNode.DeepEquals(input["contained"], output["contained"]));
            var local = References(input).Where(r => r.StartsWith('#')).ToList();
            Assert.NotEmpty(local);
            Assert.Equal(local, References(output).Where(r => r.StartsWith('#')));
        }
    }

    [Theory]
    [MemberData(nameof(TestFiles.IgExamples), MemberType = typeof(TestFiles))]
    public async Task Build_Twice_ByteIdenticalJson(string name)
    {
        var (bundle, unit) = await LoadAsync(name);
        var (again, againUnit) = await LoadAsync(name);

        var first = ReportTransactionBuilder.Build(bundle, unit, Provenance());
        var second = ReportTransactionBuilder.Build(bundle, unit, Provenance());
        var fromReread = ReportTransactionBuilder.Build(again, againUnit, Provenance());

        Assert.Equal(Serialize(first), Serialize(second));
        Assert.Equal(Serialize(first), Serialize(fromReread));
    }

    [Theory]
    [MemberData(nameof(TestFiles.IgExamples), MemberType = typeof(TestFiles))]
    public async Task Build_DifferentLab_DifferentIds(string name)
    {
        var (bundle, unit) = await LoadAsync(name);

        var labA = ReportTransactionBuilder.Build(bundle, unit, Provenance("lab-a"));
        var labB = ReportTransactionBuilder.Build(bundle, unit, Provenance("lab-b"));

        Assert.Empty(labA.OwnedReferences.Intersect(labB.OwnedReferences));
    }

    [Fact]
    public async Task Build_DifferentAccession_DifferentReportIdsSameLabLevelIds()
    {
        const string name = "Bundle-bundle-oncology-report-example.json";
        var (bundle, unit) = await LoadAsync(name);
        var (amended, amendedUnit) = await LoadAsync(name);
        var report = amended.Entries[amendedUnit.ReportEntryIndex!.Value].Resource;
        report["identifier"]![0]!["value"] = "42868";

        var first = ReportTransactionBuilder.Build(bundle, unit, Provenance());
        var second = ReportTransactionBuilder.Build(amended, amendedUnit, Provenance());

        Assert.Equal("http://molit.eu/fhir/genomics/NamingSystem/cegat/reportID|42867", first.Accession);
        Assert.Equal("http://molit.eu/fhir/genomics/NamingSystem/cegat/reportID|42868", second.Accession);
        Assert.Equal(first.OwnedReferences.Count, second.OwnedReferences.Count);
        foreach (var (a, b) in first.OwnedReferences.Zip(second.OwnedReferences))
        {
            if (LabLevelTypes.Contains(a[..a.IndexOf('/', StringComparison.Ordinal)])) Assert.Equal(a, b);
            else Assert.NotEqual(a, b);
        }
    }

    [Fact]
    public async Task Build_NoReportDifferentFileName_DifferentIds()
    {
        var (bundle, unit) = await LoadAsync("Bundle-bundle-compound-heterozygote.json");

        var first = ReportTransactionBuilder.Build(bundle, unit, Provenance(fileName: "run-7.json"));
        var second = ReportTransactionBuilder.Build(bundle, unit, Provenance(fileName: "run-8.json"));

        Assert.Null(first.ReportReference);
        Assert.Equal("run-7.json", first.Accession);
        foreach (var (a, b) in first.OwnedReferences.Zip(second.OwnedReferences))
        {
            if (LabLevelTypes.Contains(a[..a.IndexOf('/', StringComparison.Ordinal)])) Assert.Equal(a, b);
            else Assert.NotEqual(a, b);
        }
    }

    [Theory]
    [MemberData(nameof(TestFiles.IgExamples), MemberType = typeof(TestFiles))]
    public async Task Build_IgExample_ProvenanceLastTargetsEveryResourceAndNamesTheSource(string name)
    {
        var (bundle, unit) = await LoadAsync(name);
        var provenance = Provenance();

        var transaction = ReportTransactionBuilder.Build(bundle, unit, provenance);

        var last = Entries(transaction.Bundles[^1]).Last();
        var resource = last["resource"]!.AsObject();
        Assert.Equal("Provenance", resource["resourceType"]!.GetValue<string>());
        Assert.Equal(transaction.OwnedReferences[^1], last["request"]!["url"]!.GetValue<string>());
        Assert.DoesNotContain(transaction.Bundles.SelectMany(Entries).SkipLast(1), e => e["resource"]!["resourceType"]!.GetValue<string>() == "Provenance");

        var patients = Entries(transaction.Bundles[0]).Where(e => e["request"]!["method"]!.GetValue<string>() == "POST").Select(e => e["fullUrl"]!.GetValue<string>());
        var expectedTargets = transaction.OwnedReferences.SkipLast(1).Concat(patients).Order(StringComparer.Ordinal);
        var targets = resource["target"]!.AsArray().Select(t => t!["reference"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(expectedTargets, targets);

        // Where the original is kept (under its hash), with our DocumentReference to it, and the name the lab gave it.
        var entities = resource["entity"]!.AsArray().Select(e => e!["what"]!["identifier"]!).ToList();
        Assert.Contains(entities, i => i["system"]!.GetValue<string>() == "urn:precisionmed:source-blob"
            && i["value"]!.GetValue<string>() == $"archive/lab-a/{ContentHash}/2026/run-7.json");
        Assert.Contains(entities, i => i["system"]!.GetValue<string>() == "urn:precisionmed:lab-file-name" && i["value"]!.GetValue<string>() == provenance.SourceBlob);
        var document = Assert.Single(transaction.Bundles.SelectMany(Entries), IsOriginalDocument);
        Assert.Contains(resource["entity"]!.AsArray(), e => (string?)e!["what"]!["reference"] == document["request"]!["url"]!.GetValue<string>());
        Assert.Contains(entities, i => i["system"]!.GetValue<string>() == "urn:precisionmed:sha256" && i["value"]!.GetValue<string>() == ContentHash);
        Assert.Equal("2026-03-14T08:26:53.120Z", resource["recorded"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(IgExamplesWithReport))]
    public async Task Build_IgExampleWithReport_ReportRightBeforeProvenance(string name)
    {
        var (bundle, unit) = await LoadAsync(name);

        var transaction = ReportTransactionBuilder.Build(bundle, unit, Provenance());

        var entries = Entries(transaction.Bundles[^1]).ToList();
        Assert.Equal("DiagnosticReport", entries[^2]["resource"]!["resourceType"]!.GetValue<string>());
        Assert.Equal(transaction.ReportReference, entries[^2]["request"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Build_Cyp2c19WithTenEntriesPerBundle_SplitsWithPatientInEachAndReportInLast()
    {
        var (bundle, unit) = await LoadAsync("Bundle-bundle-CYP2C19.json");
        Assert.Equal(78, bundle.Entries.Count);

        var transaction = ReportTransactionBuilder.Build(bundle, unit, Provenance(), maxEntriesPerBundle: 10);

        Assert.True(transaction.Bundles.Count > 1);
        Assert.All(transaction.Bundles, b =>
        {
            var entries = Entries(b).ToList();
            Assert.InRange(entries.Count, 2, 10);
            Assert.Equal("Patient", entries[0]["resource"]!["resourceType"]!.GetValue<string>());
            Assert.Equal("POST", entries[0]["request"]!["method"]!.GetValue<string>());
            Assert.Single(entries, e => e["request"]!["method"]!.GetValue<string>() == "POST");
        });
        var last = Entries(transaction.Bundles[^1]).ToList();
        Assert.Equal("DiagnosticReport", last[^2]["resource"]!["resourceType"]!.GetValue<string>());
        Assert.Equal("Provenance", last[^1]["resource"]!["resourceType"]!.GetValue<string>());
        var puts = transaction.Bundles.SelectMany(Entries).Where(e => e["request"]!["method"]!.GetValue<string>() == "PUT")
            .Select(e => e["request"]!["url"]!.GetValue<string>()).ToList();
        Assert.Equal(transaction.OwnedReferences.Order(StringComparer.Ordinal), puts.Order(StringComparer.Ordinal));
        Assert.Equal(79, puts.Count); // 75 Observations, the Organization, the report, the original's DocumentReference and the Provenance
    }

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(12)]
    [InlineData(39)]
    [InlineData(78)]
    [InlineData(79)]
    public async Task Build_AnyBundleSize_ReportAndProvenanceInTheLastBundle(int maxEntries)
    {
        var (bundle, unit) = await LoadAsync("Bundle-bundle-CYP2C19.json");

        var transaction = ReportTransactionBuilder.Build(bundle, unit, Provenance(), maxEntries);

        Assert.All(transaction.Bundles, b => Assert.InRange(Entries(b).Count(), 2, maxEntries));
        var last = Entries(transaction.Bundles[^1]).ToList();
        Assert.Equal(transaction.ReportReference, last[^2]["request"]!["url"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(TestFiles.IgExamples), MemberType = typeof(TestFiles))]
    public async Task Build_IgExample_ResourceCountsAddUp(string name)
    {
        var (bundle, unit) = await LoadAsync(name);
        var patientEntries = bundle.Entries.Count(e => e.ResourceType == "Patient");

        var transaction = ReportTransactionBuilder.Build(bundle, unit, Provenance());

        var entries = transaction.Bundles.SelectMany(Entries).ToList();
        Assert.Equal(bundle.Entries.Count - patientEntries + 2, transaction.OwnedReferences.Count); // + the original's DocumentReference and the Provenance
        Assert.Equal(transaction.OwnedReferences.Count, transaction.OwnedReferences.Distinct().Count());
        Assert.Equal(1, transaction.PatientCount);
        Assert.Equal(transaction.OwnedReferences.Count + transaction.PatientCount, transaction.ResourceCount);
        Assert.Equal(transaction.OwnedReferences.Count + (transaction.PatientCount * transaction.Bundles.Count), entries.Count);
        Assert.All(transaction.Bundles, b => Assert.InRange(Entries(b).Count(), 2, ReportTransactionBuilder.MaxEntriesPerBundle));
    }

    [Fact]
    public async Task Build_PatientWithoutIdentifier_ScopedToTheLabByItsResourceId()
    {
        var (bundle, unit) = await LoadAsync("Bundle-bundle-CYP2C19.json");

        var transaction = ReportTransactionBuilder.Build(bundle, unit, Provenance());

        var patient = Entries(transaction.Bundles[0]).First();
        Assert.Equal("identifier=urn%3Aprecisionmed%3Alab%3Alab-a%3Apatient-resource|patient", patient["request"]!["ifNoneExist"]!.GetValue<string>());
        var identifier = Assert.Single(patient["resource"]!["identifier"]!.AsArray())!;
        Assert.Equal("urn:precisionmed:lab:lab-a:patient-resource", identifier["system"]!.GetValue<string>());
        Assert.Equal("patient", identifier["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Build_PatientIdentifierWithoutSystem_SystemScopedToTheLab()
    {
        var (bundle, unit) = await LoadAsync("Bundle-bundle-oncology-diagnostic.json");

        var transaction = ReportTransactionBuilder.Build(bundle, unit, Provenance());

        var patient = Entries(transaction.Bundles[0]).First();
        Assert.Equal("identifier=urn%3Aprecisionmed%3Alab%3Alab-a%3Apatient-id|1007", patient["request"]!["ifNoneExist"]!.GetValue<string>());
        var identifier = Assert.Single(patient["resource"]!["identifier"]!.AsArray())!;
        Assert.Equal("urn:precisionmed:lab:lab-a:patient-id", identifier["system"]!.GetValue<string>());
    }

    [Fact]
    public async Task Build_SamePatientIdentifierFromAnotherLab_SameFullUrl()
    {
        var (bundle, unit) = await LoadAsync("Bundle-bundle-oncology-report-example.json");

        var labA = ReportTransactionBuilder.Build(bundle, unit, Provenance("lab-a"));
        var labB = ReportTransactionBuilder.Build(bundle, unit, Provenance("lab-b"));

        Assert.Equal(Entries(labA.Bundles[0]).First()["fullUrl"]!.GetValue<string>(), Entries(labB.Bundles[0]).First()["fullUrl"]!.GetValue<string>());
    }

    [Fact]
    public async Task Build_TwoReportUnits_EachItsOwnReportWithTheSharedPatient()
    {
        var bundle = await FhirBundleReaderTests.ReadAsync(SyntheticBundles.TwoReportsSharingAPatient);
        var units = FhirReportSplitter.Split(bundle);

        var first = ReportTransactionBuilder.Build(bundle, units[0], Provenance(unitIndex: 0, unitCount: 2));
        var second = ReportTransactionBuilder.Build(bundle, units[1], Provenance(unitIndex: 1, unitCount: 2));

        Assert.Equal("urn:lab:accession|ACC-A", first.Accession);
        Assert.Equal("urn:lab:accession|ACC-B", second.Accession);
        Assert.Empty(first.OwnedReferences.Intersect(second.OwnedReferences));
        var patientA = Entries(first.Bundles[0]).First();
        var patientB = Entries(second.Bundles[0]).First();
        Assert.Equal(patientA["fullUrl"]!.GetValue<string>(), patientB["fullUrl"]!.GetValue<string>());
        Assert.Equal("identifier=urn%3Aoid%3A1.2.3.4|MRN-1", patientA["request"]!["ifNoneExist"]!.GetValue<string>());

        var reportB = Entries(second.Bundles[^1]).ToList()[^2]["resource"]!;
        Assert.Equal(patientB["fullUrl"]!.GetValue<string>(), reportB["subject"]!["reference"]!.GetValue<string>());
        var observationC = Entries(second.Bundles[0]).Single(e => e["resource"]!["code"]?["text"]?.GetValue<string>() == "c");
        Assert.Equal(observationC["request"]!["url"]!.GetValue<string>(), reportB["result"]![0]!["reference"]!.GetValue<string>());
    }

    [Fact]
    public async Task Build_AbsoluteReferenceToAnotherServer_LeftAsItWas_NotTakenForTheEntryOfThatTypeAndId()
    {
        // Observation/o2 on another server is whatever that server holds: not this bundle's o2, whose fullUrl is its own.
        var bundle = await FhirBundleReaderTests.ReadAsync("""
            {"resourceType":"Bundle","type":"collection","entry":[
              {"fullUrl":"https://lab.example.org/fhir/Patient/p","resource":{"resourceType":"Patient","id":"p","identifier":[{"system":"urn:mrn","value":"1"}]}},
              {"fullUrl":"https://lab.example.org/fhir/Observation/o2","resource":{"resourceType":"Observation","id":"o2","status":"final","code":{"text":"b"},"subject":{"reference":"Patient/p"}}},
              {"fullUrl":"https://lab.example.org/fhir/Observation/o1","resource":{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"a"},"subject":{"reference":"Patient/p"},
                "derivedFrom":[{"reference":"https://other-ehr.example.org/fhir/Observation/o2"},{"reference":"https://lab.example.org/fhir/Observation/o2"}]}}
            ]}
            """);
        var unit = Assert.Single(FhirReportSplitter.Split(bundle));

        using var transaction = ReportTransactionBuilder.Build(bundle, unit, Provenance());

        var o1 = transaction.Bundles.SelectMany(Entries).Select(e => e["resource"]!).Single(r => r["code"]?["text"]?.GetValue<string>() == "a");
        var o2Url = transaction.Bundles.SelectMany(Entries).Single(e => e["resource"]!["code"]?["text"]?.GetValue<string>() == "b")["request"]!["url"]!.GetValue<string>();
        var derivedFrom = o1["derivedFrom"]!.AsArray().Select(r => r!["reference"]!.GetValue<string>()).ToList();
        Assert.Equal(["https://other-ehr.example.org/fhir/Observation/o2", o2Url], derivedFrom);
    }

    [Fact]
    public async Task Build_TwoReportsSharingASpecimen_OneSpecimenIdAndCrossReportReferencesRewritten()
    {
        var bundle = await FhirBundleReaderTests.ReadAsync("""
            {"resourceType":"Bundle","type":"collection","entry":[
              {"resource":{"resourceType":"Patient","id":"p","identifier":[{"system":"urn:mrn","value":"1"}]}},
              {"resource":{"resourceType":"Specimen","id":"s","subject":{"reference":"Patient/p"}}},
              {"resource":{"resourceType":"DiagnosticReport","id":"r1","identifier":[{"system":"urn:acc","value":"A"}],"status":"final","code":{"text":"a"},"subject":{"reference":"Patient/p"},"specimen":[{"reference":"Specimen/s"}]}},
              {"resource":{"resourceType":"DiagnosticReport","id":"r2","identifier":[{"system":"urn:acc","value":"B"}],"status":"final","code":{"text":"b"},"subject":{"reference":"Patient/p"},"specimen":[{"reference":"Specimen/s"}],
                "extension":[{"url":"http://example.org/previous","valueReference":{"reference":"DiagnosticReport/r1"}}]}}
            ]}
            """);
        var units = FhirReportSplitter.Split(bundle);

        var first = ReportTransactionBuilder.Build(bundle, units[0], Provenance(unitIndex: 0, unitCount: 2), allUnits: units);
        var second = ReportTransactionBuilder.Build(bundle, units[1], Provenance(unitIndex: 1, unitCount: 2), allUnits: units);

        var specimenA = first.OwnedReferences.Single(r => r.StartsWith("Specimen/", StringComparison.Ordinal));
        var specimenB = second.OwnedReferences.Single(r => r.StartsWith("Specimen/", StringComparison.Ordinal));
        Assert.Equal(specimenA, specimenB);
        var reportB = Entries(second.Bundles[^1]).Single(e => e["resource"]!["resourceType"]!.GetValue<string>() == "DiagnosticReport")["resource"]!;
        Assert.Equal(first.ReportReference, reportB["extension"]![0]!["valueReference"]!["reference"]!.GetValue<string>());
        Assert.Equal(specimenA, reportB["specimen"]![0]!["reference"]!.GetValue<string>());
    }

    [Fact]
    public async Task Build_PatientIdentifierValueNotAString_ScopedByResourceIdWithoutThrowing()
    {
        var bundle = await FhirBundleReaderTests.ReadAsync("""
            {"resourceType":"Bundle","type":"collection","entry":[
              {"resource":{"resourceType":"Patient","id":"p1","identifier":[{"system":"urn:x","value":1007}]}},
              {"resource":{"resourceType":"Observation","id":"o1","subject":{"reference":"Patient/p1"}}}
            ]}
            """);
        var unit = Assert.Single(FhirReportSplitter.Split(bundle));

        var transaction = ReportTransactionBuilder.Build(bundle, unit, Provenance());

        var patient = Entries(transaction.Bundles[0]).First();
        Assert.Equal("identifier=urn%3Aprecisionmed%3Alab%3Alab-a%3Apatient-resource|p1", patient["request"]!["ifNoneExist"]!.GetValue<string>());
        Assert.Equal(2, patient["resource"]!["identifier"]!.AsArray().Count);
    }

    [Fact]
    public async Task Build_ServerMetadata_StrippedButProfilesKept()
    {
        var bundle = await FhirBundleReaderTests.ReadAsync("""
            {"resourceType":"Bundle","type":"collection","entry":[
              {"resource":{"resourceType":"Observation","id":"o1","meta":{"versionId":"3","lastUpdated":"2024-01-01T00:00:00Z","profile":["http://example.org/p"]}}},
              {"resource":{"resourceType":"Specimen","id":"s1","meta":{"versionId":"1"}}}
            ]}
            """);
        var unit = Assert.Single(FhirReportSplitter.Split(bundle));

        var transaction = ReportTransactionBuilder.Build(bundle, unit, Provenance());

        var resources = Entries(transaction.Bundles[0]).Select(e => e["resource"]!).ToList();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"profile":["http://example.org/p"]}"""), resources[0]["meta"]));
        Assert.Null(resources[1]["meta"]);
        Assert.Equal(0, transaction.PatientCount);
    }

    [Fact]
    public async Task Build_TwoResourcesWithTheSameIdentifier_BothKeptUnderDifferentIds()
    {
        var bundle = await FhirBundleReaderTests.ReadAsync("""
            {"resourceType":"Bundle","type":"collection","entry":[
              {"resource":{"resourceType":"Observation","identifier":[{"system":"urn:x","value":"1"}]}},
              {"resource":{"resourceType":"Observation","identifier":[{"system":"urn:x","value":"1"}]}}
            ]}
            """);
        var unit = Assert.Single(FhirReportSplitter.Split(bundle));

        var transaction = ReportTransactionBuilder.Build(bundle, unit, Provenance());

        Assert.Equal(4, transaction.OwnedReferences.Distinct().Count()); // both, the original's DocumentReference, the Provenance
    }

    [Fact]
    public async Task Build_BundleSizeBelowThree_Throws()
    {
        var (bundle, unit) = await LoadAsync("Bundle-bundle-pgxexample.json");

        Assert.Throws<ArgumentOutOfRangeException>(() => ReportTransactionBuilder.Build(bundle, unit, Provenance(), maxEntriesPerBundle: 2));
    }

    /// <summary>Our DocumentReference to the original file (the lab's own carry no SHA-256 identifier of ours).</summary>
    private static bool IsOriginalDocument(JsonNode? entry) =>
        (string?)entry!["resource"]!["resourceType"] == "DocumentReference"
        && (string?)entry["resource"]!["identifier"]?[0]?["system"] == "urn:precisionmed:sha256";

    private static ReportProvenance Provenance(string labId = "lab-a", string fileName = "2026/run-7.json", int unitIndex = 0, int unitCount = 1) =>
        new(labId, $"incoming/{labId}/{fileName}", ContentHash, fileName, unitIndex, unitCount, ReceivedAt, "1.2.3");

    private static async Task<(LabBundle Bundle, FhirReportUnit Unit)> LoadAsync(string name)
    {
        var bundle = await FhirBundleReaderTests.ReadAsync(TestFiles.IgExample(name));
        return (bundle, Assert.Single(FhirReportSplitter.Split(bundle)));
    }

    private static IEnumerable<JsonObject> Entries(JsonObject bundle) => bundle["entry"]!.AsArray().Select(e => e!.AsObject());

    private static List<string> References(JsonNode? resource) => [.. BundleReferenceIndex.FindReferences(resource).Select(r => r.Reference)];

    private static string Serialize(ReportTransaction transaction) =>
        string.Join('\n', transaction.Bundles.Select(b => b.ToJsonString(new JsonSerializerOptions { WriteIndented = false })));
}
