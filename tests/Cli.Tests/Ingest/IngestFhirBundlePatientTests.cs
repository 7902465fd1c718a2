using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using Xunit;

namespace PrecisionMed.Cli.Tests.Ingest;

/// <summary>
/// A lab's FHIR bundle is filed under its one Patient, found by identifier; a result it cannot tie to that Patient (a
/// second Patient, a subject outside the bundle) rejects the file, naming the entry and field, never the values. Each
/// bundle is the IG 3.0.0 pgx example (tests/TestData/fhir/ig-examples) with one change a lab export could make.
/// </summary>
[Trait("Tier", "Fast")]
public sealed class IngestFhirBundlePatientTests : IDisposable
{
    private const string Example = "Bundle-bundle-pgxexample.json";
    private const string Variant = "variant-1-pgx-example"; // entry 9, with the report at 0 and the Patient at 1
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pmed-ingest-fhir-patient-");
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    private string Out => Path.Combine(_work.FullName, "out");

    [Fact]
    public async Task Ingest_SecondPatientWhomAVariantIsAbout_RejectedAtTheSecondPatientNothingWritten()
    {
        var bundle = Load();
        var other = bundle["entry"]![1]!.DeepClone();
        other["fullUrl"] = "http://example.org/fhir/Patient/Other";
        other["resource"]!["id"] = "Other";
        other["resource"]!["identifier"] = new JsonArray(new JsonObject { ["system"] = "http://example.org/mrn", ["value"] = "MRN-OTHER-7" });
        bundle["entry"]!.AsArray().Insert(2, other);
        Resource(bundle, Variant)["subject"] = new JsonObject { ["reference"] = "Patient/Other" };

        var error = await RejectedAsync(bundle);

        Assert.Contains("Bundle.entry[2].resource.identifier: ", error, StringComparison.Ordinal);
        Assert.Contains("a second Patient", error, StringComparison.Ordinal);
        Assert.DoesNotContain("MRN-OTHER-7", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_SecondPatientNothingPointsAt_RejectedAtTheSecondPatient()
    {
        var bundle = Load();
        var other = bundle["entry"]![1]!.DeepClone();
        other["fullUrl"] = "urn:uuid:0d9f2b56-8f0e-4c2a-9a53-6f3c2a1b7e10";
        other["resource"]!.AsObject().Remove("id");
        other["resource"]!["identifier"] = new JsonArray(new JsonObject { ["system"] = "http://example.org/mrn", ["value"] = "MRN-OTHER-7" });
        bundle["entry"]!.AsArray().Add(other);

        var error = await RejectedAsync(bundle);

        Assert.Contains("Bundle.entry[15].resource.identifier: ", error, StringComparison.Ordinal);
        Assert.Contains("a second Patient", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_VariantAboutAPatientOutsideTheBundle_RejectedAtItsSubject()
    {
        var bundle = Load();
        Resource(bundle, Variant)["subject"] = new JsonObject { ["reference"] = "Patient/SomeoneElse" };

        var error = await RejectedAsync(bundle);

        Assert.Contains("Bundle.entry[9].resource.subject: ", error, StringComparison.Ordinal);
        Assert.Contains("not the bundle's Patient", error, StringComparison.Ordinal);
        Assert.DoesNotContain("SomeoneElse", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_ReportAboutAGroupOutsideTheBundle_RejectedAtItsSubject()
    {
        var bundle = Load();
        Resource(bundle, "pgx-report")["subject"] = new JsonObject { ["reference"] = "Group/family-12" };

        var error = await RejectedAsync(bundle);

        Assert.Contains("Bundle.entry[0].resource.subject: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_VariantAboutAPatientNamedOnlyByIdentifier_RejectedAtItsSubject()
    {
        var bundle = Load();
        Resource(bundle, Variant)["subject"] = new JsonObject
        {
            ["identifier"] = new JsonObject { ["system"] = "http://example.org/mrn", ["value"] = "MRN-OTHER-7" },
        };

        var error = await RejectedAsync(bundle);

        Assert.Contains("Bundle.entry[9].resource.subject: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("MRN-OTHER-7", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_ContainedResultAboutAPatientOutsideTheBundle_RejectedAtTheContainedSubject()
    {
        // The reviewer's bundle: the CYP2C19 example (urn:uuid: full URLs, the report at entry 75) whose report holds a contained
        // result about Patient/someone-else, which the FHIR service would resolve to whoever it holds at that id.
        var bundle = Load("Bundle-bundle-CYP2C19.json");
        var report = Resource(bundle, "report-CYP2C19");
        report["contained"] = new JsonArray(ContainedObservation("c1", "Patient/someone-else"));
        report["result"]!.AsArray().Add(new JsonObject { ["reference"] = "#c1" });

        var error = await RejectedAsync(bundle);

        Assert.Contains("Bundle.entry[75].resource.contained[0].subject: ", error, StringComparison.Ordinal);
        Assert.Contains("not the bundle's Patient", error, StringComparison.Ordinal);
        Assert.DoesNotContain("someone-else", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_ResultContainedInAContainedResultAboutAnotherPatient_RejectedAtTheInnerSubject()
    {
        var bundle = Load();
        var outer = ContainedObservation("c1", "Patient/ExamplePatient");
        outer["contained"] = new JsonArray(ContainedObservation("c2", "Patient/SomeoneElse"));
        Resource(bundle, "pgx-report")["contained"] = new JsonArray(outer);

        var error = await RejectedAsync(bundle);

        Assert.Contains("Bundle.entry[0].resource.contained[0].contained[0].subject: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("SomeoneElse", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_ContainedResultAboutAContainedPatient_RejectedAtTheContainedSubject()
    {
        var bundle = Load();
        var report = Resource(bundle, "pgx-report");
        report["contained"] = new JsonArray(
            ContainedObservation("c1", "#cp"),
            new JsonObject
            {
                ["resourceType"] = "Patient", ["id"] = "cp",
                ["identifier"] = new JsonArray(new JsonObject { ["system"] = "http://example.org/mrn", ["value"] = "MRN-OTHER-7" }),
            });

        var error = await RejectedAsync(bundle);

        Assert.Contains("Bundle.entry[0].resource.contained[0].subject: ", error, StringComparison.Ordinal);
        Assert.Contains("contained Patient", error, StringComparison.Ordinal);
        Assert.DoesNotContain("MRN-OTHER-7", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_ContainedResultAboutTheBundlesPatient_Ingested()
    {
        var bundle = Load();
        var report = Resource(bundle, "pgx-report");
        report["contained"] = new JsonArray(ContainedObservation("c1", "Patient/ExamplePatient"));
        report["result"]!.AsArray().Add(new JsonObject { ["reference"] = "#c1" });

        Assert.Equal(ExitCodes.Ok, await InvokeAsync("ingest", Write(bundle), "--out", Out, "--json"));
    }

    [Theory]
    [InlineData("https://other-ehr.example/fhir/Patient/ExamplePatient")]
    [InlineData("http://other-ehr.example/fhir/Patient/ExamplePatient/_history/1")]
    [InlineData("http://example.org/fhir-other/Patient/ExamplePatient")]
    public async Task Ingest_VariantAboutTheSameIdOnAnotherServer_RejectedAtItsSubject(string reference)
    {
        // The bundle's Patient is http://example.org/fhir/Patient/ExamplePatient: the same Type/id elsewhere is someone else.
        var bundle = Load();
        Resource(bundle, Variant)["subject"] = new JsonObject { ["reference"] = reference };

        var error = await RejectedAsync(bundle);

        Assert.Contains("Bundle.entry[9].resource.subject: ", error, StringComparison.Ordinal);
        Assert.Contains("not the bundle's Patient", error, StringComparison.Ordinal);
        Assert.DoesNotContain("ExamplePatient", error, StringComparison.Ordinal);
        Assert.DoesNotContain("other-ehr", error, StringComparison.Ordinal);
        Assert.DoesNotContain("fhir-other", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://example.org/fhir/Patient/ExamplePatient")]
    [InlineData("http://example.org/fhir/Patient/ExamplePatient/_history/1")]
    public async Task Ingest_VariantAboutThePatientsFullUrl_Ingested(string reference)
    {
        var bundle = Load();
        Resource(bundle, Variant)["subject"] = new JsonObject { ["reference"] = reference };

        Assert.Equal(ExitCodes.Ok, await InvokeAsync("ingest", Write(bundle), "--out", Out, "--json"));
    }

    [Fact]
    public async Task Ingest_ContainedResultAboutAPatientOnAnotherServer_RejectedAtTheContainedSubject()
    {
        var bundle = Load("Bundle-bundle-CYP2C19.json");
        var report = Resource(bundle, "report-CYP2C19");
        report["contained"] = new JsonArray(ContainedObservation("c1", "https://other-ehr.example/fhir/Patient/patient"));

        var error = await RejectedAsync(bundle);

        Assert.Contains("Bundle.entry[75].resource.contained[0].subject: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("other-ehr", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_ProfileOfTheIgsBaseNamingThePatient_RejectedWithoutQuotingIt()
    {
        var bundle = Load();
        Resource(bundle, Variant)["meta"] = new JsonObject
        {
            ["profile"] = new JsonArray("http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/DOE JANE 1970-01-01 MRN 555123"),
        };

        var error = await RejectedAsync(bundle);

        Assert.Contains("Bundle.entry[9].resource.meta.profile[0]: ", error, StringComparison.Ordinal);
        Assert.Contains("profile", error, StringComparison.Ordinal);
        Assert.Contains("IG 3.0.0 does not define", error, StringComparison.Ordinal);
        Assert.DoesNotContain("DOE", error, StringComparison.Ordinal);
        Assert.DoesNotContain("555123", error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(IgExamples))]
    public async Task Ingest_EveryIgExampleBundle_Ingested(string example)
    {
        var file = Write(Load(example));

        Assert.Equal(ExitCodes.Ok, await InvokeAsync("ingest", file, "--out", Out, "--json"));
    }

    public static TheoryData<string> IgExamples() =>
        new(Directory.GetFiles(IgExampleFolder, "Bundle-*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Fact]
    public async Task Ingest_EverySubjectTheBundlesPatient_IngestedTwiceTheSameBytes()
    {
        var file = Write(Load());

        Assert.Equal(ExitCodes.Ok, await InvokeAsync("ingest", file, "--out", Out, "--json"));
        var first = Directory.GetFiles(Out, "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        Assert.Equal(ExitCodes.Ok, await InvokeAsync("ingest", file, "--out", Out, "--json"));
        var second = Directory.GetFiles(Out, "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();

        Assert.Equal(first, second);
    }

    public void Dispose()
    {
        _stdout.Dispose();
        _stderr.Dispose();
        _work.Delete(recursive: true);
    }

    private async Task<string> RejectedAsync(JsonNode bundle)
    {
        var file = Write(bundle);

        var exit = await InvokeAsync("ingest", file, "--out", Out, "--json");

        Assert.Equal(ExitCodes.Rejected, exit);
        Assert.Equal("rejected", (string?)JsonNode.Parse(_stdout.ToString())![0]!["status"]);
        Assert.False(Directory.Exists(Out) && Directory.GetFiles(Out, "*.transaction.json").Length > 0, "nothing is written");
        var error = _stderr.ToString();
        Assert.Contains("lab.json: rejected: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        return error;
    }

    private static string IgExampleFolder => Path.Combine(RepositoryPaths.Root, "tests", "TestData", "fhir", "ig-examples");

    private static JsonNode Load(string example = Example) => JsonNode.Parse(File.ReadAllText(Path.Combine(IgExampleFolder, example)))!;

    private static JsonObject ContainedObservation(string id, string subject) => new()
    {
        ["resourceType"] = "Observation", ["id"] = id, ["status"] = "final",
        ["code"] = new JsonObject { ["text"] = "x" },
        ["subject"] = new JsonObject { ["reference"] = subject },
    };

    private static JsonNode Resource(JsonNode bundle, string id) =>
        bundle["entry"]!.AsArray().Select(e => e!["resource"]!).Single(r => (string?)r["id"] == id);

    private string Write(JsonNode bundle)
    {
        var file = Path.Combine(_work.FullName, "in", "lab.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, bundle.ToJsonString());
        return file;
    }

    private Task<int> InvokeAsync(params string[] args) =>
        PmedCommandLine.RunAsync(args, _stdout, _stderr, TestContext.Current.CancellationToken);
}
