using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PrecisionMed.Testing.Validation;
using Xunit;

namespace PrecisionMed.Validation.Tests;

[CollectionDefinition(nameof(ValidatorTimingTests), DisableParallelization = true)]
public sealed class ValidatorTimingCollection;

/// <summary>
/// Prints the validator's cold creation time and its warm cost per resource. Runs alone, after the parallel
/// tests, so the warm numbers are not shared with other test classes (see the test output).
/// </summary>
[Collection(nameof(ValidatorTimingTests))]
[Trait("Tier", "Fast")]
public sealed class ValidatorTimingTests
{
    [Fact]
    public void Validate_IgExampleEntries_ReportsColdAndWarmTimings()
    {
        var validator = FhirProfileValidator.Shared;
        var resources = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "TestData/fhir/ig-examples"), "*.json")
            .SelectMany(EntryResources)
            .ToList();
        foreach (var resource in resources)
        {
            validator.Validate(resource);
        }

        var timings = new List<double>();
        foreach (var resource in resources)
        {
            var stopwatch = Stopwatch.StartNew();
            validator.Validate(resource);
            timings.Add(stopwatch.Elapsed.TotalMilliseconds);
        }

        timings.Sort();
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"validator creation (cold): {validator.CreationTime.TotalMilliseconds:F0} ms; warm per resource over {timings.Count} " +
            $"IG example entries: median {timings[timings.Count / 2]:F1} ms, p90 {timings[timings.Count * 9 / 10]:F1} ms, " +
            $"max {timings[^1]:F1} ms"));
        Assert.True(validator.CreationTime > TimeSpan.Zero);
    }

    private static List<string> EntryResources(string bundlePath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(bundlePath));
        return [.. document.RootElement.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("resource").GetRawText())];
    }
}
