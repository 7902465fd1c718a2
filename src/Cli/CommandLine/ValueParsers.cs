using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace PrecisionMed.Cli.CommandLine;

/// <summary>
/// Parsers for the option types System.CommandLine parses itself (numbers, files, folders), given to every such option
/// of the tree that has none: its own messages name the CLR type (<c>as expected type 'System.Int32'</c>), these name
/// the option and say what was wanted. An option with its own parser keeps it.
/// </summary>
internal static class ValueParsers
{
    public static void AddTo(Command root)
    {
        foreach (var option in Commands(root).SelectMany(c => c.Options))
        {
            switch (option)
            {
                case Option<int> { CustomParser: null } number:
                    number.CustomParser = result => WholeNumber(number.Name, result) ?? default;
                    break;
                case Option<int?> { CustomParser: null } optional:
                    optional.CustomParser = result => WholeNumber(optional.Name, result);
                    break;
                case Option<FileInfo> { CustomParser: null } file:
                    file.CustomParser = result => NonEmpty(file.Name, result, "a file") is { } path ? new FileInfo(path) : null;
                    break;
                case Option<DirectoryInfo> { CustomParser: null } folder:
                    folder.CustomParser = result => NonEmpty(folder.Name, result, "a folder") is { } path ? new DirectoryInfo(path) : null;
                    break;
            }
        }
    }

    private static int? WholeNumber(string name, ArgumentResult result)
    {
        var text = Text(result);
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
        result.AddError(text.Length > 0 && text.TrimStart('-').All(char.IsAsciiDigit)
            ? $"{name}: '{text}' is too large a number"
            : $"{name}: '{text}' is not a whole number");
        return null;
    }

    private static string? NonEmpty(string name, ArgumentResult result, string what)
    {
        var text = Text(result);
        if (!string.IsNullOrWhiteSpace(text) && text.IndexOf('\0', StringComparison.Ordinal) < 0) return text;
        result.AddError(string.IsNullOrWhiteSpace(text) ? $"{name}: empty; name {what}" : $"{name}: not a path (it holds a NUL character)");
        return null;
    }

    private static string Text(ArgumentResult result) =>
        result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));

    private static IEnumerable<Command> Commands(Command command) => [command, .. command.Subcommands.SelectMany(Commands)];
}
