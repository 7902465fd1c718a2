using System.Diagnostics;

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
}
