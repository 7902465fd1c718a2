using System.Diagnostics;

namespace PrecisionMed.Cli.Tests.Validate;

/// <summary>Runs the built pmed.dll as a child process, as a shell would, and captures its exit code and output.</summary>
internal static class PmedProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}{Environment.NewLine}stdout:{Environment.NewLine}{Stdout}{Environment.NewLine}stderr:{Environment.NewLine}{Stderr}";
    }

    /// <summary>
    /// src/Cli's own build output (same configuration as this test assembly), built before the tests as their
    /// project reference. Not the copy beside the tests: that folder's dependencies are resolved for the test host
    /// (with the ASP.NET Core shared framework), not for pmed.
    /// </summary>
    private static string PmedDll { get; } = Path.Combine(
        RepositoryPaths.Root, "src", "Cli", Path.GetRelativePath(Path.Combine(RepositoryPaths.Root, "tests", "Cli.Tests"), AppContext.BaseDirectory), "pmed.dll");

    public static async Task<Result> RunAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string?> environment, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.ArgumentList.Add(PmedDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
