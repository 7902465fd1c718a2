namespace PrecisionMed.Cli.CommandLine;

/// <summary>Whether a command may draw progress with carriage returns: only on the process's own stderr, when a person watches it.</summary>
internal static class Terminal
{
    public static bool IsInteractive(TextWriter stderr) => ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected;
}
