using System.Net;
using System.Text.Json.Nodes;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Testing.Cds;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// <c>pmed serve</c>'s CDS services never answer with another patient's data than <c>context.patientId</c>'s, over real
/// HTTP: an EHR FHIR server that ignores the search's <c>subject</c> filter (FHIR lets a server ignore a parameter it does
/// not support) and answers with another patient's CYP2C19 genotype is not believed (412 saying why, no card); a call
/// whose draft orders name another patient (the spec's own example, its context.patientId changed) is refused (400); a
/// draft order whose Medication no one has is the 412 case, not answered as an order of no CPIC drug; a call whose
/// fhirAuthorization token is restricted to another patient is refused (400).
/// </summary>
[Trait("Tier", "Stack")]
public sealed class CdsPatientSafetyServeTests(LocalStackFixture stack)
{
    private const string Clopidogrel = "32968";
    private readonly string _database = "pmed-cli-cdssafe-" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task EhrFhirServerIgnoringTheSubjectFilter_AnotherPatientsGenotype_Answers412_NoCard()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var issuer = await TestCdsIssuer.StartAsync(cancellationToken: ct);
        // The issuer's FHIR server answers by path only: a search's parameters, subject among them, are ignored.
        var (report, genotype) = Cyp2c19PoorMetaboliser("Patient/other-patient");
        issuer.FhirResources["DiagnosticReport"] = SearchSet(report);
        issuer.FhirResources["Observation"] = SearchSet(genotype);
        await using var server = await ServeHostileInputTests.StartTrustingAsync(issuer, stack, _database);
        var url = new Uri(server.Api, ServeHostileInputTests.PgxService);

        var (forOther, otherText) = await PostAsync(server, issuer, url, ClopidogrelCall("other-patient", issuer.Fhir), ct);
        var (forPatient, text) = await PostAsync(server, issuer, url, ClopidogrelCall("p-untested", issuer.Fhir), ct);
        var run = await server.StopAsync();

        // The patient the results are for gets their card (the server and the results are read as they should be) ...
        Assert.True(forOther == HttpStatusCode.OK, otherText);
        Assert.Contains("CYP2C19 Poor Metabolizer", otherText, StringComparison.Ordinal);
        // ... and another patient none of it: 412, naming why, quoting no id.
        Assert.True(forPatient == HttpStatusCode.PreconditionFailed, text);
        Assert.DoesNotContain("Poor Metabolizer", text, StringComparison.Ordinal);
        Assert.Equal(
            "the FHIR data this service needs was neither prefetched nor read: the FHIR server's search for the patient's DiagnosticReport resources "
                + "returned resources that are not this patient's (it did not apply the subject filter), so none of them was used",
            (string?)JsonNode.Parse(text)!["error"]);
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        Assert.DoesNotContain("other-patient", run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("p-untested", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EhrSearchWithAnOperationOutcomeEntryWithoutSearchMode_ThePatientsResultsStillCarded()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var issuer = await TestCdsIssuer.StartAsync(cancellationToken: ct);
        // A server that adds an OperationOutcome to its searchset without search.mode (FHIR asks for "outcome"; not all do).
        var (report, genotype) = Cyp2c19PoorMetaboliser("Patient/p-outcome");
        var outcome = new JsonObject
        {
            ["resourceType"] = "OperationOutcome",
            ["issue"] = new JsonArray(new JsonObject { ["severity"] = "information", ["code"] = "informational", ["diagnostics"] = "_count capped" }),
        };
        foreach (var (type, match) in new[] { ("DiagnosticReport", report), ("Observation", genotype) })
        {
            var bundle = SearchSet(match);
            bundle["entry"]!.AsArray().Add(new JsonObject { ["resource"] = outcome.DeepClone() });
            issuer.FhirResources[type] = bundle;
        }

        await using var server = await ServeHostileInputTests.StartTrustingAsync(issuer, stack, _database);
        var (status, text) = await PostAsync(server, issuer, new Uri(server.Api, ServeHostileInputTests.PgxService), ClopidogrelCall("p-outcome", issuer.Fhir), ct);
        var run = await server.StopAsync();

        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Contains("CYP2C19 Poor Metabolizer", text, StringComparison.Ordinal);
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
    }

    [Fact]
    public async Task DraftOrderReferencingAMedicationTheEhrServerDoesNotHave_Answers412_NotAnAnswerWithoutACard()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var issuer = await TestCdsIssuer.StartAsync(cancellationToken: ct);
        issuer.FhirResources["Medication/med-clopidogrel"] = new JsonObject
        {
            ["resourceType"] = "Medication", ["id"] = "med-clopidogrel",
            ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://www.nlm.nih.gov/research/umls/rxnorm", ["code"] = Clopidogrel, ["display"] = "clopidogrel" }) },
        };
        await using var server = await ServeHostileInputTests.StartTrustingAsync(issuer, stack, _database);
        var url = new Uri(server.Api, ServeHostileInputTests.PgxService);
        JsonObject ByReference(string medication)
        {
            var call = ClopidogrelCall("p-untested", issuer.Fhir);
            var order = call["context"]!["draftOrders"]!["entry"]![0]!["resource"]!.AsObject();
            order.Remove("medicationCodeableConcept");
            order["medicationReference"] = new JsonObject { ["reference"] = medication, ["display"] = "clopidogrel 75 mg tablet" };
            return call;
        }

        var (found, foundText) = await PostAsync(server, issuer, url, ByReference("Medication/med-clopidogrel"), ct);
        var (missing, missingText) = await PostAsync(server, issuer, url, ByReference("Medication/med-gone"), ct);
        var run = await server.StopAsync();

        // Read from the EHR's server: the drug is known, CPIC's pre-test card for a patient with no CYP2C19 result.
        Assert.True(found == HttpStatusCode.OK, foundText);
        Assert.Contains("clopidogrel", (string?)JsonNode.Parse(foundText)!["cards"]![0]!["summary"], StringComparison.Ordinal);
        Assert.True(missing == HttpStatusCode.PreconditionFailed, missingText);
        Assert.Equal(
            "the FHIR data this service needs was neither prefetched nor read: a Medication a draft order references was neither sent (contained, "
                + "among the draft orders or in the prefetch) nor found on the FHIR server, so the order's drug is unknown",
            (string?)JsonNode.Parse(missingText)!["error"]);
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
    }

    [Fact]
    public async Task FhirAuthorizationRestrictedToAnotherPatient_Answers400_ItsOwnPatientAnswered()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var issuer = await TestCdsIssuer.StartAsync(cancellationToken: ct);
        await using var server = await ServeHostileInputTests.StartTrustingAsync(issuer, stack, _database);
        var url = new Uri(server.Api, ServeHostileInputTests.PgxService);
        // The spec's fhirAuthorization fields, with its conditional patient: the patient a patient-scoped token is restricted to.
        var own = ClopidogrelCall("p-token-own", issuer.Fhir);
        own["fhirAuthorization"]!["patient"] = "p-token-own";
        var another = ClopidogrelCall("p-token-own", issuer.Fhir);
        another["fhirAuthorization"]!["patient"] = "p-token-another";

        var (ownStatus, ownText) = await PostAsync(server, issuer, url, own, ct);
        var readsBefore = issuer.FhirAuthorizations.Count;
        var (anotherStatus, anotherText) = await PostAsync(server, issuer, url, another, ct);
        var run = await server.StopAsync();

        Assert.True(ownStatus == HttpStatusCode.OK, ownText);
        Assert.True(anotherStatus == HttpStatusCode.BadRequest, anotherText);
        Assert.Equal("fhirAuthorization.patient is another patient than context.patientId; a call is about one patient", (string?)JsonNode.Parse(anotherText)!["error"]);
        Assert.Equal(readsBefore, issuer.FhirAuthorizations.Count); // refused before the EHR's server is asked anything
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
    }

    [Theory]
    [InlineData("order-select", "pgx-prescribing-order-select")]
    [InlineData("order-sign", "genetic-test-governance-order-sign")]
    public async Task SpecExample_DraftOrdersOfAnotherPatientThanContextPatientId_Answers400_AsIsAnswered(string hook, string service)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var issuer = await TestCdsIssuer.StartAsync(cancellationToken: ct);
        await using var server = await ServeHostileInputTests.StartTrustingAsync(issuer, stack, _database);
        var url = new Uri(server.Api, $"cds-services/{service}");
        // The spec's R4 example: its NutritionOrder's patient and its MedicationRequest's subject are Patient/1288992.
        var asSent = SpecExample(hook);
        var mixed = SpecExample(hook);
        mixed["context"]!["patientId"] = "p-another";

        var (sentStatus, sentText) = await PostAsync(server, issuer, url, asSent, ct);
        var (mixedStatus, mixedText) = await PostAsync(server, issuer, url, mixed, ct);
        var run = await server.StopAsync();

        Assert.True(sentStatus == HttpStatusCode.OK, sentText);
        Assert.True(mixedStatus == HttpStatusCode.BadRequest, mixedText);
        Assert.Equal(
            "context.draftOrders holds an order whose subject, patient or for is not Patient/{context.patientId}: another patient, or one that cannot be told (a contained, urn:uuid or identifier-only reference); a call is about one patient",
            (string?)JsonNode.Parse(mixedText)!["error"]);
        Assert.DoesNotContain("1288992", mixedText, StringComparison.Ordinal);
        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
    }

    /// <summary>The spec's R4 example of the hook (tests/TestData/cds-hooks, its context only) with hook and hookInstance.</summary>
    private static JsonObject SpecExample(string hook)
    {
        var example = JsonNode.Parse(File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, "tests", "TestData", "cds-hooks", $"{hook}-r4.context.json")))!.AsObject();
        example["hook"] = hook;
        example["hookInstance"] = Guid.NewGuid().ToString();
        return example;
    }

    /// <summary>A final PGx report and its CYP2C19 *2/*2 genotype (Genomics Reporting IG profile), as an EHR holds them.</summary>
    internal static (JsonObject Report, JsonObject Genotype) Cyp2c19PoorMetaboliser(string subject)
    {
        var report = new JsonObject
        {
            ["resourceType"] = "DiagnosticReport", ["id"] = "dr-ehr", ["status"] = "final",
            ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = "51969-4" }) },
            ["subject"] = new JsonObject { ["reference"] = subject },
            ["effectiveDateTime"] = "2022-05-01",
            ["result"] = new JsonArray(new JsonObject { ["reference"] = "Observation/gt-1" }),
        };
        var genotype = new JsonObject
        {
            ["resourceType"] = "Observation", ["id"] = "gt-1", ["status"] = "final",
            ["meta"] = new JsonObject { ["profile"] = new JsonArray((JsonNode)"http://hl7.org/fhir/uv/genomics-reporting/StructureDefinition/genotype") },
            ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = "84413-4" }) },
            ["subject"] = new JsonObject { ["reference"] = subject },
            ["valueCodeableConcept"] = new JsonObject { ["text"] = "CYP2C19 *2/*2" },
            ["component"] = new JsonArray(new JsonObject
            {
                ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = "48018-6" }) },
                ["valueCodeableConcept"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://www.genenames.org/geneId", ["code"] = "HGNC:2621", ["display"] = "CYP2C19" }) },
            }),
        };
        return (report, genotype);
    }

    private static JsonObject SearchSet(params JsonObject[] resources) => new()
    {
        ["resourceType"] = "Bundle", ["type"] = "searchset",
        ["entry"] = new JsonArray([.. resources.Select(r => (JsonNode)new JsonObject { ["resource"] = r.DeepClone(), ["search"] = new JsonObject { ["mode"] = "match" } })]),
    };

    /// <summary>order-select for clopidogrel (RxNorm ingredient), with the EHR's FHIR server and its token.</summary>
    private static JsonObject ClopidogrelCall(string patientId, Uri fhirServer) => new()
    {
        ["hook"] = "order-select",
        ["hookInstance"] = Guid.NewGuid().ToString(),
        ["fhirServer"] = fhirServer.ToString(),
        ["fhirAuthorization"] = new JsonObject
        {
            ["access_token"] = TestCdsIssuer.FhirToken, ["token_type"] = "Bearer", ["expires_in"] = 300, ["scope"] = "user/Observation.read user/DiagnosticReport.read", ["subject"] = "cds-service4",
        },
        ["context"] = new JsonObject
        {
            ["userId"] = "Practitioner/example",
            ["patientId"] = patientId,
            ["selections"] = new JsonArray((JsonNode)"MedicationRequest/mr-1"),
            ["draftOrders"] = new JsonObject
            {
                ["resourceType"] = "Bundle",
                ["entry"] = new JsonArray(new JsonObject
                {
                    ["resource"] = new JsonObject
                    {
                        ["resourceType"] = "MedicationRequest", ["id"] = "mr-1", ["status"] = "draft", ["intent"] = "order",
                        ["medicationCodeableConcept"] = new JsonObject
                        {
                            ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://www.nlm.nih.gov/research/umls/rxnorm", ["code"] = Clopidogrel, ["display"] = "clopidogrel" }),
                        },
                        ["subject"] = new JsonObject { ["reference"] = $"Patient/{patientId}" },
                    },
                }),
            },
        },
    };

    private static Task<(HttpStatusCode Status, string Text)> PostAsync(PmedServer server, TestCdsIssuer issuer, Uri url, JsonObject body, CancellationToken ct) =>
        ServeHostileInputTests.PostAsync(server, url, ServeHostileInputTests.Utf8(body.ToJsonString()), issuer.Token(url), ct);
}
