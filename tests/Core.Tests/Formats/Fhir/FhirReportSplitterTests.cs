using PrecisionMed.Core.Formats.Fhir;

namespace PrecisionMed.Core.Tests.Formats.Fhir;

[Trait("Tier", "Fast")]
public sealed class FhirReportSplitterTests
{
    [Theory]
    [MemberData(nameof(TestFiles.IgExamples), MemberType = typeof(TestFiles))]
    public async Task Split_IgExample_OneUnitWithAllEntries(string name)
    {
        var bundle = await FhirBundleReaderTests.ReadAsync(TestFiles.IgExample(name));
        var report = bundle.Entries.SingleOrDefault(e => e.ResourceType == "DiagnosticReport");

        var unit = Assert.Single(FhirReportSplitter.Split(bundle));

        Assert.Equal(0, unit.UnitIndex);
        Assert.Equal(report?.Index, unit.ReportEntryIndex);
        Assert.Equal(Enumerable.Range(0, bundle.Entries.Count), unit.EntryIndexes);
    }

    [Fact]
    public async Task Split_BundleWithoutReport_OneUnitWithoutReport()
    {
        var bundle = await FhirBundleReaderTests.ReadAsync(TestFiles.IgExample("Bundle-bundle-compound-heterozygote.json"));
        Assert.DoesNotContain(bundle.Entries, e => e.ResourceType == "DiagnosticReport");

        var unit = Assert.Single(FhirReportSplitter.Split(bundle));

        Assert.Null(unit.ReportEntryIndex);
        Assert.Equal(bundle.Entries.Count, unit.EntryIndexes.Count);
    }

    [Fact]
    public async Task Split_TwoReportsSharingAPatient_TwoUnitsEachWithItsResultsAndThePatient()
    {
        var bundle = await FhirBundleReaderTests.ReadAsync(SyntheticBundles.TwoReportsSharingAPatient);

        var units = FhirReportSplitter.Split(bundle);

        Assert.Equal(2, units.Count);
        Assert.Equal([0, 1], units.Select(u => u.UnitIndex));
        Assert.Equal(1, units[0].ReportEntryIndex);
        Assert.Equal(4, units[1].ReportEntryIndex);
        // Report A reaches its results and specimen; the unreferenced Organization joins the first unit.
        Assert.Equal([0, 1, 2, 3, 7, 9], units[0].EntryIndexes);
        // Report B reaches obs-c (by a versioned reference) and its member; the Task points at report B.
        Assert.Equal([0, 4, 5, 6, 8], units[1].EntryIndexes);
    }

    [Fact]
    public async Task Split_TwoReports_EveryEntryInSomeUnit()
    {
        var bundle = await FhirBundleReaderTests.ReadAsync(SyntheticBundles.TwoReportsSharingAPatient);

        var units = FhirReportSplitter.Split(bundle);

        Assert.Equal(Enumerable.Range(0, bundle.Entries.Count), units.SelectMany(u => u.EntryIndexes).Distinct().Order());
        Assert.All(units, u => Assert.Equal(u.EntryIndexes.Order(), u.EntryIndexes));
    }

    [Fact]
    public async Task Split_ReportPointingAtAnotherReport_OtherReportStaysInItsOwnUnit()
    {
        var bundle = await FhirBundleReaderTests.ReadAsync("""
            {"resourceType":"Bundle","type":"collection","entry":[
              {"fullUrl":"urn:uuid:1","resource":{"resourceType":"DiagnosticReport","result":[{"reference":"urn:uuid:2"}],"basedOn":[{"reference":"urn:uuid:3"}]}},
              {"fullUrl":"urn:uuid:2","resource":{"resourceType":"Observation"}},
              {"fullUrl":"urn:uuid:3","resource":{"resourceType":"DiagnosticReport"}}
            ]}
            """);

        var units = FhirReportSplitter.Split(bundle);

        Assert.Equal([0, 1], units[0].EntryIndexes);
        Assert.Equal([2], units[1].EntryIndexes);
    }
}
