using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Core.Genomics.Index;
using PrecisionMed.Core.Pipeline;
using PrecisionMed.Functions.Tests.Hosting;
using PrecisionMed.Functions.Triggers;
using PrecisionMed.Testing.Stack;

namespace PrecisionMed.Functions.Tests.EndToEnd;

/// <summary>
/// The status API (<c>GET /api/files/{id}</c> and <c>GET /api/files</c>) withholds the lab's file name, which labs
/// often build from the patient's name, unless an operator asks with <c>include=fileName</c>: the App Service
/// authentication principal must carry the operator app role, and App Service authentication must be on for that
/// principal to be believed. Both endpoints, called as the host calls them, on the real stack.
/// </summary>
[Trait("Tier", "Stack")]
public sealed class FileNameDisclosureEndToEndTests(LocalStackFixture stack)
{
    private const string Lab = "lab-names";
    private const string PatientNamedFile = "2026/DOE_JANE_19700101_pgx.json";
    private static readonly string SampleBundle = Path.Combine(AppContext.BaseDirectory, "TestData", "fhir", "ig-examples", "Bundle-bundle-pgxexample.json");
    private const string OperatorRole = "PrecisionMed.Operator";
    private const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";
    private static readonly Dictionary<string, string?> EasyAuthOn = new() { ["WEBSITE_AUTH_ENABLED"] = "True" };

    [Fact]
    public async Task DetailAndList_ByDefault_NoFileNameNorPathQuotingIt()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack, EasyAuthOn);
        var fileId = await CompleteOneFileAsync(host, ct);

        var detail = await DetailAsync(host, fileId, "", Principal("authenticated", OperatorRole), ct);
        var list = await ListAsync(host, "", Principal(OperatorRole), ct);

        Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var file = JsonNode.Parse(detail.ReadBody())!["file"]!.AsObject();
        Assert.Equal("Completed", (string?)file["state"]);
        Assert.False(file.ContainsKey("blobName"));
        Assert.False(file.ContainsKey("storedAt"));
        Assert.DoesNotContain("DOE_JANE", detail.ReadBody(), StringComparison.Ordinal);
        var listed = Assert.Single(JsonNode.Parse(list.ReadBody())!["files"]!.AsArray())!.AsObject();
        Assert.Equal(fileId, (string?)listed["fileId"]);
        Assert.False(listed.ContainsKey("blobName"));
        Assert.DoesNotContain("DOE_JANE", list.ReadBody(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DetailAndList_OperatorAsks_FileNameAndWhereItIs()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack, EasyAuthOn);
        var fileId = await CompleteOneFileAsync(host, ct);
        var operatorPrincipal = Principal("authenticated", OperatorRole);

        var detail = await DetailAsync(host, fileId, "?include=fileName", operatorPrincipal, ct);
        var list = await ListAsync(host, "?state=Completed&include=fileName", operatorPrincipal, ct);

        Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
        var file = JsonNode.Parse(detail.ReadBody())!["file"]!;
        Assert.Equal(PatientNamedFile, (string?)file["blobName"]);
        Assert.Equal("archive/" + LabFileOriginals.Archived(Lab, (string)file["contentHash"]!, PatientNamedFile).Path, (string?)file["storedAt"]);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var listed = Assert.Single(JsonNode.Parse(list.ReadBody())!["files"]!.AsArray())!;
        Assert.Equal(PatientNamedFile, (string?)listed["blobName"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("authenticated")]
    [InlineData("PrecisionMed.Reader")]
    public async Task DetailAndList_AskedWithoutOperatorRole_403NamingTheRole(string? role)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack, EasyAuthOn);
        var fileId = await CompleteOneFileAsync(host, ct);
        var principal = role is null ? null : Principal(role);

        var detail = await DetailAsync(host, fileId, "?include=fileName", principal, ct);
        var list = await ListAsync(host, "?include=fileName", principal, ct);

        foreach (var response in new[] { detail, list })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var error = (string?)JsonNode.Parse(response.ReadBody())!["error"];
            Assert.Contains($"needs a caller with the {OperatorRole} app role", error, StringComparison.Ordinal);
            Assert.DoesNotContain("DOE_JANE", response.ReadBody(), StringComparison.Ordinal);
        }
    }

    /// <summary>Without App Service authentication nobody strips a caller's own principal header: it is not believed.</summary>
    [Fact]
    public async Task DetailAndList_OperatorHeaderButAppServiceAuthenticationOff_403()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack);
        var fileId = await CompleteOneFileAsync(host, ct);
        var forged = Principal(OperatorRole);

        var detail = await DetailAsync(host, fileId, "?include=fileName", forged, ct);
        var list = await ListAsync(host, "?include=fileName", forged, ct);

        foreach (var response in new[] { detail, list })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("App Service authentication is not enabled", response.ReadBody(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DetailAndList_UnknownInclude_400()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack, EasyAuthOn);

        var detail = await DetailAsync(host, "any", "?include=everything", Principal(OperatorRole), ct);
        var list = await ListAsync(host, "?include=everything", Principal(OperatorRole), ct);

        Assert.Equal(HttpStatusCode.BadRequest, detail.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, list.StatusCode);
        Assert.Contains("include accepts only fileName", list.ReadBody(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The Genomics Operations through the Functions host, with App Service authentication on: no principal 401, a
    /// principal without the operation's app role 403 naming it, Genomics.Read for a subject operation and
    /// Genomics.Population for a population one answer from the index the worker wrote.
    /// </summary>
    [Fact]
    public async Task GenomicsOperations_AppRolesChecked_ThenAnsweredFromTheIndexTheWorkerWrote()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = new PipelineHost(stack.Stack, EasyAuthOn);
        await CompleteOneFileAsync(host, ct);
        var patient = await FindIndexedPatientAsync(host, ct);
        Assert.NotNull(patient);
        var subject = $"find-subject-haplotypes?subject={patient}&genes=HGNC:2623";
        var population = "find-population-specific-haplotypes?haplotypes=CYP2C9";

        var anonymous = await OperationAsync(host, subject, null, ct);
        var withoutRole = await OperationAsync(host, subject, Principal(OperatorRole), ct);
        var reader = await OperationAsync(host, subject, Principal("Genomics.Read"), ct);
        var readerAsksPopulation = await OperationAsync(host, population, Principal("Genomics.Read"), ct);
        var populationRole = await OperationAsync(host, population, Principal("Genomics.Population"), ct);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, withoutRole.StatusCode);
        Assert.Contains("Genomics.Read", withoutRole.ReadBody(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, reader.StatusCode);
        Assert.Contains("genotype", reader.ReadBody(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, readerAsksPopulation.StatusCode);
        Assert.Contains("Genomics.Population", readerAsksPopulation.ReadBody(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, populationRole.StatusCode);
        Assert.Contains("numerator", populationRole.ReadBody(), StringComparison.Ordinal);
    }

    private static async Task<string?> FindIndexedPatientAsync(PipelineHost host, CancellationToken ct)
    {
        var index = host.Services.GetRequiredService<IGenomicIndex>();
        var slices = await index.ReadPopulationAsync(PopulationKey.Gene("HGNC:2623"), ct);
        return slices.Select(s => s.Patient).FirstOrDefault();
    }

    private static async Task<TestHttpResponse> OperationAsync(PipelineHost host, string pathAndQuery, string? principal, CancellationToken ct)
    {
        var request = new TestHttpRequest(host.Context("GenomicsOperationFunction", ct), "GET", new Uri($"http://localhost/api/genomics/${pathAndQuery}"));
        if (principal is not null) request.Headers.Add(PrincipalHeader, principal);
        var operation = "$" + pathAndQuery[..pathAndQuery.IndexOf('?', StringComparison.Ordinal)];
        return (TestHttpResponse)await HttpApiFunctions.GenomicsOperationAsync(request, operation);
    }

    private static async Task<string> CompleteOneFileAsync(PipelineHost host, CancellationToken ct)
    {
        var content = await File.ReadAllBytesAsync(SampleBundle, ct);
        await host.UploadAsync(Lab, PatientNamedFile, content, ct);
        await host.ArriveAsync(Lab, PatientNamedFile, ct);
        await host.DrainWorkQueueAsync(ct);
        return LabFileIds.For(Lab, Convert.ToHexStringLower(SHA256.HashData(content)));
    }

    private static async Task<TestHttpResponse> DetailAsync(PipelineHost host, string fileId, string query, string? principal, CancellationToken ct)
    {
        var request = new TestHttpRequest(host.Context("FileStatusFunction", ct), "GET", new Uri($"http://localhost/api/files/{fileId}{query}"));
        if (principal is not null) request.Headers.Add(PrincipalHeader, principal);
        return (TestHttpResponse)await HttpApiFunctions.FileStatusAsync(request, fileId);
    }

    private static async Task<TestHttpResponse> ListAsync(PipelineHost host, string query, string? principal, CancellationToken ct)
    {
        var request = new TestHttpRequest(host.Context("FileListFunction", ct), "GET", new Uri($"http://localhost/api/files{query}"));
        if (principal is not null) request.Headers.Add(PrincipalHeader, principal);
        return (TestHttpResponse)await HttpApiFunctions.FileListAsync(request);
    }

    /// <summary>The <c>X-MS-CLIENT-PRINCIPAL</c> App Service authentication sets for an Entra caller with these app roles.</summary>
    private static string Principal(params string[] roles)
    {
        const string roleType = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";
        var claims = new List<object>
        {
            new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = "00000000-0000-0000-0000-0000000000aa" },
            new { typ = "name", val = "Ops On Call" },
        };
        claims.AddRange(roles.Select(role => new { typ = roleType, val = role }));
        var json = JsonSerializer.Serialize(new { auth_typ = "aad", claims, name_typ = "name", role_typ = roleType });
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json));
    }
}
