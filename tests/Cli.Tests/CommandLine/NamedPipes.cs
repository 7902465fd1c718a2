using System.Diagnostics;
using Xunit;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>Named pipes (FIFOs) made with <c>mkfifo(1)</c>: nothing ever writes to them, so opening one to read waits for ever.</summary>
internal static class NamedPipes
{
    public static string Create(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo") { ArgumentList = { path }, UseShellExecute = false })!;
        mkfifo.WaitForExit();
        return mkfifo.ExitCode == 0 ? path : throw new InvalidOperationException($"mkfifo {path} exited {mkfifo.ExitCode}");
    }

    /// <summary>pmed tells a named pipe from a file by statx, Linux's: elsewhere the test is skipped.</summary>
    public static void SkipUnlessSupported() => Assert.SkipUnless(OperatingSystem.IsLinux(), "pmed tells a named pipe from a file by statx, Linux's");

    /// <summary>
    /// A run that reads a named pipe would wait for ever: fail the test instead. Three minutes, as <see cref="Pmed.RunProcessAsync"/>
    /// allows: <c>pmed validate</c> first builds the IG validator, which took over a minute on a loaded machine.
    /// </summary>
    public static Task<PmedRun> Bounded(Task<PmedRun> run) => run.WaitAsync(TimeSpan.FromMinutes(3), TestContext.Current.CancellationToken);
}
