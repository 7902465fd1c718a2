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

    /// <summary>A run that reads a named pipe would wait for ever: fail the test instead.</summary>
    public static Task<PmedRun> WithinAMinute(Task<PmedRun> run) => run.WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
}
