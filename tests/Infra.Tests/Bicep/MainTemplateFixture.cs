using Xunit;

namespace PrecisionMed.Infra.Tests.Bicep;

/// <summary>Compiles infra/bicep/main.bicep once for the tests of a class.</summary>
public sealed class MainTemplateFixture : IAsyncLifetime
{
    private BicepRun? build;
    private CompiledTemplate? template;

    internal static string MainBicepPath { get; } = Path.Combine("infra", "bicep", "main.bicep");

    internal BicepRun Build => build ?? throw new InvalidOperationException("The template has not been built.");

    internal CompiledTemplate Template => template ?? throw new InvalidOperationException(
        $"bicep build {MainBicepPath} gave no template: {Build.Describe()}");

    public async ValueTask InitializeAsync()
    {
        build = await BicepCli.RunAsync(["build", MainBicepPath, "--stdout"], TestContext.Current.CancellationToken);
        if (build.ExitCode == 0)
        {
            template = CompiledTemplate.Parse(build.StandardOutput);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
