using System.Text.Json.Nodes;
using Xunit;

[assembly: AssemblyFixture(typeof(PrecisionMed.Infra.Tests.Bicep.BicepFixture))]

namespace PrecisionMed.Infra.Tests.Bicep;

/// <summary>
/// Runs the Bicep CLI once per test run (each start of the CLI costs seconds): `build` of every
/// .bicep file, `build-params` of every .bicepparam file, `lint` of both, each over a glob in one
/// process, and `snapshot` of the dev and prod parameters, which evaluates the template offline
/// into the resources a deployment would create. Outputs go to a temporary folder, never into the
/// repository. The CLI runs when a test first asks for a result, not with the assembly: xUnit creates assembly
/// fixtures whenever any test of the assembly runs, and a run of the Fast tier alone (<c>./test.sh --fast</c>)
/// must not start the CLI.
/// </summary>
public sealed class BicepFixture : IAsyncLifetime
{
    /// <summary>Values for the snapshot's deployment context (any well-formed ids do).</summary>
    internal const string SubscriptionId = "00000000-0000-0000-0000-0000000000aa";
    internal const string TenantId = "00000000-0000-0000-0000-0000000000bb";
    internal const string ResourceGroup = "rg-pmed-test";
    internal const string Location = "westeurope";

    internal static readonly string BicepFolder = Path.Combine("infra", "bicep");

    private readonly string workFolder = Path.Combine(Path.GetTempPath(), $"pmed-infra-tests-{Environment.ProcessId}-{Guid.NewGuid():N}");
    private readonly Dictionary<string, Snapshot> snapshots = new(StringComparer.Ordinal);
    private CompiledTemplate? template;
    private BicepRun build = new(-1, string.Empty, string.Empty);
    private BicepRun buildParams = new(-1, string.Empty, string.Empty);
    private BicepRun lint = new(-1, string.Empty, string.Empty);
    private Lazy<Task>? runs;

    internal BicepRun Build => Ran().build;

    internal BicepRun BuildParams => Ran().buildParams;

    internal BicepRun Lint => Ran().lint;

    // The output folders wait for the runs too: a test that read a file there before the runs ended found none (a theory
    // case that ran first saw bicep "leave out" a template it was still writing).
    internal string BuildOutput => Ran().BuildFolder;

    internal string BuildParamsOutput => Ran().BuildParamsFolder;

    private string BuildFolder => Path.Combine(workFolder, "build");

    private string BuildParamsFolder => Path.Combine(workFolder, "build-params");

    /// <summary>main.bicep compiled to ARM JSON.</summary>
    internal CompiledTemplate Template => Ran().template ?? throw new InvalidOperationException(
        $"bicep build gave no template for main.bicep: {Build.Describe()}");

    /// <summary>The resources a deployment with params/{environment}.bicepparam would create.</summary>
    internal Snapshot Snapshot(string environment) => Ran().snapshots.TryGetValue(environment, out var snapshot)
        ? snapshot
        : throw new InvalidOperationException($"No snapshot of params/{environment}.bicepparam was made.");

    public ValueTask InitializeAsync()
    {
        // The run's token, not the first test's: a test that times out must not cancel the runs the others share.
        var cancellationToken = TestContext.Current.CancellationToken;
        runs = new Lazy<Task>(() => RunAsync(cancellationToken), LazyThreadSafetyMode.ExecutionAndPublication);
        return ValueTask.CompletedTask;
    }

    /// <summary>This fixture once the CLI ran (the first caller starts the runs, the others wait for them).</summary>
    private BicepFixture Ran()
    {
        (runs ?? throw new InvalidOperationException("The fixture has not been initialized.")).Value.GetAwaiter().GetResult();
        return this;
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(workFolder);
        var pattern = BicepFolder.Replace('\\', '/');

        // Two at a time: the machine is shared, and each run is mostly one core's work.
        var building = BicepCli.RunAsync(["build", "--pattern", $"{pattern}/**/*.bicep", "--outdir", BuildFolder], cancellationToken);
        var dev = SnapshotAsync("dev", cancellationToken);
        build = await building;
        buildParams = await BicepCli.RunAsync(["build-params", "--pattern", $"{pattern}/**/*.bicepparam", "--outdir", BuildParamsFolder], cancellationToken);
        var prod = SnapshotAsync("prod", cancellationToken);
        lint = await BicepCli.RunAsync(["lint", "--pattern", $"{pattern}/**/*.bicep*"], cancellationToken);
        snapshots["dev"] = await dev;
        snapshots["prod"] = await prod;

        var mainJson = Path.Combine(BuildFolder, "main.json");
        if (File.Exists(mainJson))
        {
            template = CompiledTemplate.Parse(await File.ReadAllTextAsync(mainJson, cancellationToken));
        }
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(workFolder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }

        return ValueTask.CompletedTask;
    }

    private async Task<Snapshot> SnapshotAsync(string environment, CancellationToken cancellationToken)
    {
        // snapshot writes <name>.snapshot.json next to the parameters file: work on a copy.
        var copy = Path.Combine(workFolder, $"snapshot-{environment}");
        CopyFolder(Path.Combine(RepositoryRoot.Path, BicepFolder), copy);
        var parameters = Path.Combine(copy, "params", $"{environment}.bicepparam");
        var run = await BicepCli.RunAsync(
            [
                "snapshot", parameters, "--mode", "overwrite",
                "--subscription-id", SubscriptionId, "--tenant-id", TenantId,
                "--resource-group", ResourceGroup, "--location", Location,
            ],
            cancellationToken,
            // The second provisioning, after the code is deployed: the intake subscription too.
            new Dictionary<string, string> { ["SUBSCRIBE_LAB_INTAKE"] = "true" });
        var output = Path.ChangeExtension(parameters, ".snapshot.json");
        return new Snapshot(
            environment,
            run,
            File.Exists(output) ? JsonNode.Parse(await File.ReadAllTextAsync(output, cancellationToken))!.AsObject() : null);
    }

    private static void CopyFolder(string source, string destination)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
