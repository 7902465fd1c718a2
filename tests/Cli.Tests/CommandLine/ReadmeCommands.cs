using System.Text;
using System.Text.RegularExpressions;

namespace PrecisionMed.Cli.Tests.CommandLine;

/// <summary>A <c>pmed</c> command as the README shows it: its line, its arguments and the variables exported before it.</summary>
internal sealed record ReadmeCommand(int Line, string Text, string[] Args, IReadOnlyDictionary<string, string> Environment)
{
    public override string ToString() => $"README.md:{Line}: {Text}";
}

/// <summary>
/// Finds the <c>pmed</c> commands in the README: in fenced code blocks, lines that run <c>pmed ARGS</c> or
/// <c>dotnet run --project src/Cli -- ARGS</c> (after the block's <c>export</c> lines), split as bash splits them;
/// and the inline <c>`pmed ...`</c> synopses of the prose.
/// </summary>
internal static partial class ReadmeCommands
{
    private const string DotnetRun = "dotnet run --project src/Cli --";

    public static string Readme => Path.Combine(RepositoryPaths.Root, "README.md");

    public static List<ReadmeCommand> InCodeBlocks()
    {
        var commands = new List<ReadmeCommand>();
        var lines = File.ReadAllLines(Readme);
        var inBlock = false;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inBlock = !inBlock;
                environment = new Dictionary<string, string>(StringComparer.Ordinal);
                continue;
            }

            if (!inBlock) continue;
            var line = WithoutComment(lines[i]).Trim();
            var number = i + 1;
            while (line.EndsWith('\\') && i + 1 < lines.Length) line = line[..^1] + " " + WithoutComment(lines[++i]).Trim();
            if (line.Length == 0) continue;

            var words = Split(line);
            if (words[0] == "export")
            {
                foreach (var assignment in words.Skip(1)) AddAssignment(environment, assignment);
                continue;
            }

            var variables = new Dictionary<string, string>(environment, StringComparer.Ordinal);
            var start = 0;
            while (start < words.Count && Assignment().IsMatch(words[start])) AddAssignment(variables, words[start++]);
            string[]? args = null;
            if (start < words.Count && words[start] == "pmed") args = [.. words.Skip(start + 1)];
            else if (line.Contains(DotnetRun, StringComparison.Ordinal) && words.IndexOf("--") is var dashes and > 0) args = [.. words.Skip(dashes + 1)];
            if (args is not null) commands.Add(new ReadmeCommand(number, line, [.. args.Select(a => Expand(a, variables))], variables));
        }

        return commands;
    }

    /// <summary>The inline synopses (<c>`pmed status [FILE_ID] --cosmos URL`</c>) outside code blocks.</summary>
    public static List<(int Line, string Text)> Synopses()
    {
        var synopses = new List<(int, string)>();
        var lines = File.ReadAllLines(Readme);
        var inBlock = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal)) inBlock = !inBlock;
            else if (!inBlock)
                synopses.AddRange(InlinePmed().Matches(lines[i]).Select(m => (i + 1, m.Groups[1].Value)));
        }

        return synopses;
    }

    private static void AddAssignment(Dictionary<string, string> variables, string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals > 0) variables[assignment[..equals]] = Expand(assignment[(equals + 1)..], variables);
    }

    private static string Expand(string word, Dictionary<string, string> variables) =>
        Variable().Replace(word, m => variables.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    private static string WithoutComment(string line)
    {
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            if (quote != '\0') { if (line[i] == quote) quote = '\0'; }
            else if (line[i] is '"' or '\'') quote = line[i];
            else if (line[i] == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1]))) return line[..i];
        }

        return line;
    }

    /// <summary>Words as bash splits them: whitespace outside quotes, quotes removed.</summary>
    private static List<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var quote = '\0';
        var inWord = false;
        foreach (var c in line)
        {
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                else word.Append(c);
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord) words.Add(word.ToString());
        return words;
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*=")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")]
    private static partial Regex Variable();

    [GeneratedRegex("`(pmed [^`]+)`")]
    private static partial Regex InlinePmed();
}
