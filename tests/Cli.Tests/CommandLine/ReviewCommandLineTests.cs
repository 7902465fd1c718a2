using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Testing.Stack;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>
/// <c>pmed review list | release | reject</c> through the command line with the function app's settings for the local
/// stack in the environment, as an operator sets them.
/// </summary>
[Trait("Tier", "Stack")]
[Collection(nameof(ProcessEnvironment))]
public sealed class ReviewCommandLineTests(LocalStackFixture stack)
{
    [Fact]
    public async Task List_NothingHeld_ExitsZero()
    {
        using var _ = ProcessEnvironment.Set(LocalSettings(stack.Stack));

        var run = await Pmed.RunAsync("review", "list");

        Assert.True(run.Exit == ExitCodes.Ok, run.ToString());
        Assert.Contains("No report is held for review.", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Release_FileNotInTheLedger_ExitsTwoNamingTheFile()
    {
        using var _ = ProcessEnvironment.Set(LocalSettings(stack.Stack));

        var run = await Pmed.RunAsync("review", "release", "lab-x-0123", "--unit", "1");

        Assert.Equal(ExitCodes.Rejected, run.Exit);
        Assert.Equal(["pmed review: File lab-x-0123 is not in the ledger."], run.StderrLines);
    }

    [Fact]
    public async Task Reject_FileNotInTheLedger_ExitsTwo()
    {
        using var _ = ProcessEnvironment.Set(LocalSettings(stack.Stack));

        var run = await Pmed.RunAsync("review", "reject", "lab-x-0123", "--unit", "2", "--reason", "MRN of another patient");

        Assert.Equal(ExitCodes.Rejected, run.Exit);
        Assert.Equal(["pmed review: File lab-x-0123 is not in the ledger."], run.StderrLines);
    }

    [Fact]
    public async Task List_NoSettings_ExitsOneNamingEverySettingToAdd()
    {
        using var _ = ProcessEnvironment.Set(LocalSettings(stack.Stack).ToDictionary(s => s.Key, _ => (string?)null));

        var run = await Pmed.RunAsync("review", "list");

        Assert.Equal(ExitCodes.Usage, run.Exit);
        var line = run.StderrLines.Single();
        Assert.StartsWith("pmed review: ", line, StringComparison.Ordinal);
        Assert.Contains("The lab storage account is not set: LabStorage", line, StringComparison.Ordinal);
        Assert.Contains("The app setting Cosmos:Endpoint is not set (environment variable Cosmos__Endpoint).", line, StringComparison.Ordinal);
        Assert.Contains("The app setting Fhir:BaseUrl is not set (environment variable Fhir__BaseUrl).", line, StringComparison.Ordinal);
        Assert.EndsWith("Set the function app's settings as environment variables.", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_StorageUnreachable_ExitsThreeWithOneLine()
    {
        var closed = $"http://127.0.0.1:{LoopbackPorts.Closed}/{LocalStack.AzuriteAccountName}";
        var settings = LocalSettings(stack.Stack);
        settings["LabStorage"] = $"DefaultEndpointsProtocol=http;AccountName={LocalStack.AzuriteAccountName};AccountKey={LocalStack.AzuriteAccountKey};"
                                 + $"BlobEndpoint={closed};QueueEndpoint={closed};";
        using var _ = ProcessEnvironment.Set(settings);

        var run = await Pmed.RunAsync("review", "list");

        Assert.Equal(ExitCodes.ServiceFailed, run.Exit);
        Assert.Equal([$"pmed: Storage at {closed}: connection refused"], run.StderrLines);
    }

    /// <summary>The function app's settings for the local stack, as environment variables, with a database and queue of this run's own.</summary>
    internal static Dictionary<string, string?> LocalSettings(LocalStack stack)
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        return new Dictionary<string, string?>
        {
            ["LabStorage"] = stack.AzuriteConnectionString,
            ["LabStorage__CreateIfMissing"] = "true",
            ["Notifications__QueueName"] = "genomic-results-" + suffix,
            ["Cosmos__Endpoint"] = stack.CosmosEndpoint.ToString(),
            ["Cosmos__EmulatorKey"] = stack.CosmosKey,
            ["Cosmos__Database"] = "precisionmed-" + suffix,
            ["Cosmos__CreateIfMissing"] = "true",
            ["Fhir__BaseUrl"] = stack.FhirBaseUrl.ToString(),
        };
    }
}
