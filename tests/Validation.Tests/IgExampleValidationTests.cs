using PrecisionMed.Testing.Validation;
using Xunit;

namespace PrecisionMed.Validation.Tests;

/// <summary>The Genomics Reporting IG 3.0.0 example bundles, validated entry by entry.</summary>
[Trait("Tier", "Fast")]
public sealed class IgExampleValidationTests
{
    private const string ExampleFolder = "TestData/fhir/ig-examples";

    // The IG publisher's generated narratives: an empty <table class="grid"/> and <a name> anchors put directly
    // in a <blockquote>. Both break the FHIR XHTML schema (XHTML 1.0 strict content models) that the Firely
    // validator checks for txt-1; the HL7 Java validator, which published the IG, does not schema-check
    // narratives. Defects of the examples themselves, not of the validator's setup.
    private const string EmptyTableError =
        "DiagnosticReport.text[0].div[0]: The element 'table' in namespace 'http://www.w3.org/1999/xhtml' has incomplete content. " +
        "List of possible elements expected: 'caption, col, colgroup, thead, tfoot, tbody, tr' in namespace 'http://www.w3.org/1999/xhtml'. [1100]";

    private const string AnchorInBlockquoteError =
        "Observation.text[0].div[0]: The element 'blockquote' in namespace 'http://www.w3.org/1999/xhtml' has invalid child element 'a' " +
        "in namespace 'http://www.w3.org/1999/xhtml'. List of possible elements expected: 'p, h1, h2, h3, h4, h5, h6, div, ul, ol, dl, pre, hr, " +
        "blockquote, address, table' in namespace 'http://www.w3.org/1999/xhtml'. [1100]";

    private static readonly Dictionary<string, string[]> KnownEntryErrors = new()
    {
        ["Bundle-bundle-CYP2C19.json"] = [$"DiagnosticReport/report-CYP2C19 {EmptyTableError}"],
        ["Bundle-bundle-sequence-phase-relation-CYP2C19.json"] = [$"DiagnosticReport/sequence-phase-relation-CYP2C19 {EmptyTableError}"],
        ["Bundle-bundle-oncologyexamples-r4.json"] = [$"Observation/Inline-Instance-for-oncologyexamples-r4-14 {AnchorInBlockquoteError}"],
        ["Bundle-bundle-oncologyexamples-r4-withGrouping.json"] =
            [$"Observation/Inline-Instance-for-oncologyexamples-r4-withGrouping-9 {AnchorInBlockquoteError}"],
    };

    // The Task's focus is a separate IG example (MedicationStatement-MedicationStatementWarfarin.json) that the
    // collection bundles do not carry: a dangling reference in the examples themselves.
    private static readonly Dictionary<string, string[]> KnownUnresolvedReferences = new()
    {
        ["Bundle-bundle-cgexample.json"] =
            ["Task/usage Task.focus.reference: 'MedicationStatement/MedicationStatementWarfarin' matches no entry's resource type and id"],
        ["Bundle-bundle-cgexample-withGrouping.json"] =
            ["Task/usage-1a Task.focus.reference: 'MedicationStatement/MedicationStatementWarfarin' matches no entry's resource type and id"],
    };

    public static TheoryData<string> Examples =>
        [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, ExampleFolder), "*.json").Select(f => Path.GetFileName(f)).Order()];

    [Fact]
    public void Examples_TestData_HoldsTheTwelveIgBundles()
    {
        Assert.Equal(12, Examples.Count);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Validate_IgExampleBundle_HasOnlyTheKnownExampleDefects(string fileName)
    {
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, ExampleFolder, fileName));

        var report = BundleValidation.Validate(json);

        Assert.Empty(report.BundleErrors);
        Assert.NotEmpty(report.Entries);
        Assert.Equal(KnownEntryErrors.GetValueOrDefault(fileName, []), report.EntryErrors);
        Assert.Equal(KnownUnresolvedReferences.GetValueOrDefault(fileName, []), report.UnresolvedReferences.Select(r => r.ToString()));
        Assert.Empty(report.ExternalReferences);
    }

    [Fact]
    public void Validate_IgExampleWithLoincAnswerAndHgvsCodes_WarnsInsteadOfFailing()
    {
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, ExampleFolder, "Bundle-bundle-oncologyexamples-r4.json"));

        var warnings = BundleValidation.Validate(json).Entries.SelectMany(e => e.Report.Warnings).ToList();

        Assert.Contains(warnings, w => w.Contains("'http://loinc.org/vs/", StringComparison.Ordinal) && w.Contains("is unknown", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("'http://varnomen.hgvs.org'", StringComparison.Ordinal));
    }
}
