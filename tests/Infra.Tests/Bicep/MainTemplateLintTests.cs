using Xunit;

namespace PrecisionMed.Infra.Tests.Bicep;

public sealed class MainTemplateLintTests
{
    [Fact]
    public async Task Lint_MainTemplate_PrintsNoDiagnostics()
    {
        var lint = await BicepCli.RunAsync(["lint", MainTemplateFixture.MainBicepPath], TestContext.Current.CancellationToken);

        Assert.True(lint.ExitCode == 0, lint.Describe());
        Assert.True(
            string.IsNullOrWhiteSpace(lint.StandardOutput) && string.IsNullOrWhiteSpace(lint.StandardError),
            $"bicep lint reported diagnostics (infra/bicep/bicepconfig.json sets the rules): {lint.Describe()}");
    }
}
