namespace PrecisionMed.Core.Tests;

/// <summary>The corpus copies under TestData/, linked into the test output with their bytes exact.</summary>
internal static class TestFiles
{
    public static readonly string[] IgExampleNames =
    [
        "Bundle-bundle-CG-IG-HLA-FullBundle-01.json",
        "Bundle-bundle-CYP2C19.json",
        "Bundle-bundle-cgexample-withGrouping.json",
        "Bundle-bundle-cgexample.json",
        "Bundle-bundle-complexVariant-nonHGVS.json",
        "Bundle-bundle-compound-heterozygote.json",
        "Bundle-bundle-oncology-diagnostic.json",
        "Bundle-bundle-oncology-report-example.json",
        "Bundle-bundle-oncologyexamples-r4-withGrouping.json",
        "Bundle-bundle-oncologyexamples-r4.json",
        "Bundle-bundle-pgxexample.json",
        "Bundle-bundle-sequence-phase-relation-CYP2C19.json",
    ];

    public static TheoryData<string> IgExamples => new(IgExampleNames);

    public static string PathOf(string relativePath) =>
        Path.Combine(AppContext.BaseDirectory, "TestData", relativePath.Replace('/', Path.DirectorySeparatorChar));

    public static byte[] Read(string relativePath) => File.ReadAllBytes(PathOf(relativePath));

    public static byte[] IgExample(string name) => Read("fhir/ig-examples/" + name);
}
