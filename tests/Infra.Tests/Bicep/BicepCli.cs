using System.Diagnostics;

namespace PrecisionMed.Infra.Tests.Bicep;

/// <summary>What one run of the Bicep CLI printed and returned.</summary>
internal sealed record BicepRun(int ExitCode, string StandardOutput, string StandardError)
{
    public string Describe() =>
        $"exit code {ExitCode}{Environment.NewLine}stdout:{Environment.NewLine}{StandardOutput}{Environment.NewLine}stderr:{Environment.NewLine}{StandardError}";
}

/// <summary>
/// Runs the pinned Bicep CLI through infra/bicep.sh, the same entry point people and CI use.
/// The first call makes sure the CLI is in the NuGet cache (one restore, shared by every test);
/// when it cannot be had, the test fails and says why rather than being skipped.
/// </summary>
internal static class BicepCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private static readonly SemaphoreSlim RestoreGate = new(1, 1);
    private static bool restored;

    public static string ScriptPath { get; } = Path.Combine(RepositoryRoot.Path, "infra", "bicep.sh");

    /// <param name="arguments">The CLI's arguments.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <param name="environment">Extra environment variables (what readEnvironmentVariable() sees).</param>
    public static async Task<BicepRun> RunAsync(
        IReadOnlyList<string> arguments, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        await EnsureRestoredAsync(cancellationToken);
        return await RunScriptAsync(arguments, cancellationToken, environment);
    }

    private static async Task EnsureRestoredAsync(CancellationToken cancellationToken)
    {
        await RestoreGate.WaitAsync(cancellationToken);
        try
        {
            if (restored)
            {
                return;
            }

            var run = await RunScriptAsync(["--restore-only"], cancellationToken);
            if (run.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"The Bicep CLI could not be obtained: '{ScriptPath} --restore-only' restores NuGet package " +
                    $"Azure.Bicep.CommandLine.linux-x64 through infra/tools/BicepTool.proj and it failed with {run.Describe()}");
            }

            restored = true;
        }
        finally
        {
            RestoreGate.Release();
        }
    }

    private static async Task<BicepRun> RunScriptAsync(
        IReadOnlyList<string> arguments, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo("bash")
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(ScriptPath);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"bash could not be started to run {ScriptPath}.");
        process.StandardInput.Close();
        var standardOutput = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var standardError = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return new BicepRun(process.ExitCode, await standardOutput, await standardError);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(
                $"'{ScriptPath} {string.Join(' ', arguments)}' did not finish within {Timeout.TotalMinutes} minutes.");
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }
}
