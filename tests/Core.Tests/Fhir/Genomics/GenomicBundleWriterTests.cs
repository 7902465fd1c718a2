using System.Text;
using System.Text.Json;
using PrecisionMed.Core.Fhir;
using PrecisionMed.Core.Fhir.Genomics;

namespace PrecisionMed.Core.Tests.Fhir.Genomics;

[Trait("Tier", "Fast")]
public sealed class GenomicBundleWriterTests
{
    /// <summary>
    /// A report of megabytes is laid out in the write buffer it grew rather than copied to a second one: the bundles are
    /// byte for byte those of the copy, wherever the Patient entry was written, and the status is found where it lies.
    /// </summary>
    [Theory]
    [InlineData(0, 3_000, 200)] // the Patient first, as the builder writes it
    [InlineData(1_500, 3_000, 200)] // the Patient among the entries
    [InlineData(3_000, 3_000, 200)] // the Patient last
    [InlineData(0, 2_999, 3_000)] // one bundle
    [InlineData(0, 40, 200)] // a small report: the thread keeps its buffer, the bundles are copied
    public void Finish_LargeReportInItsOwnBuffer_SameBundlesAsCopied(int patientAfter, int entries, int maxEntries)
    {
        var (inPlace, inPlaceStatus) = Write(patientAfter, entries).Finish(maxEntries);
        var (copied, copiedStatus) = Write(patientAfter, entries).Finish(maxEntries, reuseLargeBuffer: false);

        Assert.Equal(copied.Count, inPlace.Count);
        for (var i = 0; i < copied.Count; i++) Assert.True(copied[i].SequenceEqual(inPlace[i]), $"bundle {i} differs");
        Assert.Equal(copiedStatus, inPlaceStatus);
        Assert.True(inPlaceStatus > 0);

        var last = JsonDocument.Parse(inPlace.Memory(inPlace.Count - 1)).RootElement.GetProperty("entry");
        Assert.Equal("Patient", last[0].GetProperty("resource").GetProperty("resourceType").GetString());
        Assert.Equal(Math.Min(entries, maxEntries - 1) + 1, last.GetArrayLength());
        // The bundles follow one another from the start of their buffer: the status offset is one into their concatenation.
        Assert.Equal("final", Encoding.UTF8.GetString(Concat(inPlace).AsSpan(inPlaceStatus, "final".Length)));
        AssertResourcesWhereRecorded(inPlace, entries);
        AssertResourcesWhereRecorded(copied, entries);
        copied.Dispose();
        inPlace.Dispose();
    }

    /// <summary>Each recorded resource is, byte for byte, the resource of the PUT entry written in its place, in every layout.</summary>
    private static void AssertResourcesWhereRecorded(Utf8Bundles bundles, int entries)
    {
        var resources = new List<string>();
        for (var b = 0; b < bundles.Count; b++)
        {
            using var bundle = JsonDocument.Parse(bundles.Memory(b));
            resources.AddRange(bundle.RootElement.GetProperty("entry").EnumerateArray().Skip(1).Select(e => e.GetProperty("resource").GetRawText()));
        }

        var recorded = bundles.Resources!;
        Assert.Equal(entries, recorded.Count);
        Assert.Equal(resources, recorded.Select(r => Encoding.UTF8.GetString(bundles.Json(r).Span)));
        Assert.All(recorded, r => Assert.Equal(("Observation", "http://example.org/StructureDefinition/test"), (r.Type, r.Profile)));
    }

    private static GenomicBundleWriter Write(int patientAfter, int entries)
    {
        var bundle = new GenomicBundleWriter();
        var padding = new string('x', 400);
        for (var i = 0; i <= entries; i++)
        {
            if (i == patientAfter) WritePatient(bundle);
            if (i == entries) break;
            var writer = bundle.BeginResource(
                "Observation", DeterministicIds.CreateGuid(["test", i.ToString(System.Globalization.CultureInfo.InvariantCulture)]), "http://example.org/StructureDefinition/test");
            if (i == entries / 2) bundle.WriteReportStatus("final");
            writer.WriteString("note", padding);
            bundle.EndResource();
        }

        return bundle;
    }

    private static void WritePatient(GenomicBundleWriter bundle)
    {
        var writer = bundle.BeginPatientEntry();
        writer.WriteStartObject();
        writer.WriteString("fullUrl", "urn:uuid:00000000-0000-0000-0000-000000000001");
        writer.WriteStartObject("resource");
        writer.WriteString("resourceType", "Patient");
        writer.WriteEndObject();
        writer.WriteEndObject();
        bundle.EndPatientEntry();
    }

    private static byte[] Concat(Utf8Bundles bundles)
    {
        var all = new List<byte>();
        for (var i = 0; i < bundles.Count; i++) all.AddRange(bundles[i].ToArray());
        return [.. all];
    }
}
