using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Hl7.Fhir.Specification.Source;
using PrecisionMed.Validation.Conformance;
using Xunit;

namespace PrecisionMed.Validation.Tests.Conformance;

/// <summary>
/// The converted folder in the user's cache, as every validator of the test run reads it (converted by whichever
/// comes first), and a scratch folder for the tests that need one.
/// </summary>
public sealed class ConvertedCoreFixture : IDisposable
{
    public string Folder { get; } = CoreSpecificationFolder.Ensure(CoreSpecificationFolder.SpecificationZip);

    public string Scratch { get; } = Directory.CreateTempSubdirectory("pmed-core-cache-").FullName;

    public void Dispose() => Directory.Delete(Scratch, recursive: true);
}

[Trait("Tier", "Fast")]
public sealed class CoreSpecificationFolderTests(ConvertedCoreFixture converted) : IClassFixture<ConvertedCoreFixture>
{
    private static readonly string[] AllJson = ["*.json"];

    [Fact]
    public void Ensure_ConvertsTheConformanceResourcesOnly_AndMarksTheFolderWhole()
    {
        var files = Directory.GetFiles(converted.Folder, "*.json").Select(Path.GetFileName).ToList();

        Assert.True(File.Exists(Path.Combine(converted.Folder, CoreSpecificationFolder.CompleteMarker)));
        Assert.Contains("StructureDefinition-Observation.json", files);
        Assert.Contains("ValueSet-observation-status.json", files);
        Assert.Contains("CodeSystem-v3-ObservationInterpretation.json", files);
        Assert.DoesNotContain(files, f => f!.StartsWith("SearchParameter-", StringComparison.Ordinal) || f.StartsWith("ConceptMap-", StringComparison.Ordinal));
        Assert.True(files.Count > 3000, $"{files.Count} files");
    }

    [Fact]
    public void Ensure_Again_ReadsTheWholeFolderWithoutConverting()
    {
        var marker = Path.Combine(converted.Folder, CoreSpecificationFolder.CompleteMarker);
        var written = File.GetLastWriteTimeUtc(marker);

        var again = CoreSpecificationFolder.Ensure(CoreSpecificationFolder.SpecificationZip);

        Assert.Equal(converted.Folder, again);
        Assert.Equal(written, File.GetLastWriteTimeUtc(marker));
    }

    [Theory]
    [InlineData("http://hl7.org/fhir/StructureDefinition/Observation")]
    [InlineData("http://hl7.org/fhir/StructureDefinition/CodeableConcept")]
    [InlineData("http://hl7.org/fhir/StructureDefinition/data-absent-reason")]
    [InlineData("http://hl7.org/fhir/StructureDefinition/vitalsigns")]
    [InlineData("http://hl7.org/fhir/ValueSet/observation-status")]
    [InlineData("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation")]
    [InlineData("http://terminology.hl7.org/CodeSystem/v2-0203")]
    public async Task Resolve_SameResourceAsTheSdkReadsFromTheZip(string canonical)
    {
        var folder = new ConformanceFolderSource(converted.Folder, AllJson);

        var ours = await folder.ResolveByCanonicalUriAsync(canonical);
        var sdks = await SdkZip.Value.ResolveByCanonicalUriAsync(canonical);

        Assert.NotNull(sdks);
        Assert.NotNull(ours);

        // meta.lastUpdated is the same instant, written with its milliseconds (".000") once it has been through JSON.
        Assert.Equal(sdks.Meta?.LastUpdated, ours.Meta?.LastUpdated);
        var (oursAsRead, sdksAsRead) = ((Resource)ours.DeepCopy(), (Resource)sdks.DeepCopy());
        foreach (var meta in new[] { oursAsRead.Meta, sdksAsRead.Meta }.OfType<Meta>()) meta.LastUpdatedElement = null;
        Assert.True(oursAsRead.IsExactly(sdksAsRead), $"{canonical} differs from the zip's");
    }

    [Fact]
    public async Task Ensure_TwoProcessesAtOnceOverADamagedFolder_BothGetTheWholeFolder()
    {
        var root = Directory.CreateTempSubdirectory("pmed-core-race-").FullName;
        try
        {
            // A folder of the right name without the marker: what a damaged cache leaves.
            var damaged = Path.Combine(root, Path.GetFileName(converted.Folder));
            Directory.CreateDirectory(damaged);
            File.WriteAllText(Path.Combine(damaged, "StructureDefinition-Observation.json"), "{ half");

            // Each "process" fills its folder by copying the converted one (the real conversion takes seconds of CPU):
            // what is tested is how whole folders are put in place, not the conversion.
            var folders = await Task.WhenAll(
                Task.Run(() => CoreSpecificationFolder.Ensure(CoreSpecificationFolder.SpecificationZip, root, CopyConverted)),
                Task.Run(() => CoreSpecificationFolder.Ensure(CoreSpecificationFolder.SpecificationZip, root, CopyConverted)));

            Assert.All(folders, f => Assert.Equal(damaged, f));
            Assert.True(File.Exists(Path.Combine(damaged, CoreSpecificationFolder.CompleteMarker)));
            Assert.Equal(Directory.GetFiles(converted.Folder).Length, Directory.GetFiles(damaged).Length);
            Assert.Single(Directory.GetFileSystemEntries(root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Ensure_FolderWithItsMarkerButAFileLost_ConvertedAgain()
    {
        var root = Directory.CreateTempSubdirectory("pmed-core-lost-").FullName;
        try
        {
            var folder = Path.Combine(root, Path.GetFileName(converted.Folder));
            Directory.CreateDirectory(folder);
            CopyConverted("", folder);
            File.Copy(Path.Combine(converted.Folder, CoreSpecificationFolder.CompleteMarker), Path.Combine(folder, CoreSpecificationFolder.CompleteMarker));
            File.Delete(Path.Combine(folder, "StructureDefinition-Observation.json"));

            var again = CoreSpecificationFolder.Ensure(CoreSpecificationFolder.SpecificationZip, root, CopyConverted);

            Assert.Equal(folder, again);
            Assert.True(File.Exists(Path.Combine(folder, "StructureDefinition-Observation.json")));
            Assert.Single(Directory.GetFileSystemEntries(root));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Ensure_NoZip_SaysWhichFileIsMissing()
    {
        var missing = Path.Combine(converted.Scratch, "no-such-specification.zip");

        var error = Assert.Throws<FileNotFoundException>(() => CoreSpecificationFolder.Ensure(missing, converted.Scratch));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    private void CopyConverted(string zip, string folder)
    {
        foreach (var file in Directory.GetFiles(converted.Folder, "*.json")) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
    }

    private static readonly Lazy<ZipSource> SdkZip = new(ZipSource.CreateValidationSource);
}
