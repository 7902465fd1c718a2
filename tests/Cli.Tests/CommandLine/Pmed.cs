using System.Diagnostics;
using PrecisionMed.Cli.CommandLine;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>What a run of <c>pmed</c> left: the exit code and everything written to stdout and stderr.</summary>
internal sealed record PmedRun(int Exit, string Stdout, string Stderr)
{
    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>For assertion messages: all of it.</summary>
    public override string ToString() => $"exit {Exit}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary><c>pmed</c> run as a shell reaches it: in process through <see cref="PmedCommandLine.RunAsync"/>, or as a child process.</summary>
internal static class Pmed
{
    /// <summary>Through the same entry point <c>Program.cs</c> calls, with string arguments and captured streams.</summary>
    public static async Task<PmedRun> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await PmedCommandLine.RunAsync(args, stdout, stderr, TestContext.Current.CancellationToken);
        return new PmedRun(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// The built <c>pmed.dll</c> run by <c>dotnet</c> as a child process,
    /// with only the given environment variables added to this process's.
    /// </summary>
    public static async Task<PmedRun> RunProcessAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        start.ArgumentList.Add(PmedDll());
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new PmedRun(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// The built <c>src/Cli</c> in the configuration these tests were built in (its own folder, with its own deps.json: the
    /// copy beside the tests resolves its dependencies against the test project's).
    /// </summary>
    internal static string PmedDll()
    {
        var configuration = Path.GetRelativePath(Path.Combine(RepositoryPaths.Root, "tests", "Cli.Tests", "bin"), AppContext.BaseDirectory);
        var dll = Path.Combine(RepositoryPaths.Root, "src", "Cli", "bin", configuration, "pmed.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("Build src/Cli first: no " + dll);
    }

    /// <summary>The dotnet host running these tests (so the same SDK's runtime runs pmed).</summary>
    internal static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
