using System.CommandLine;
using System.CommandLine.Parsing;

namespace PrecisionMed.Cli.CommandLine;

/// <summary>
/// An option whose value is one of an enum's names, in any case; anything else is refused naming the choices
/// (System.CommandLine's own message names the CLR type instead).
/// </summary>
internal static class ChoiceOption
{
    public static Option<T> Create<T>(string name, string description)
        where T : struct, Enum => new(name)
    {
        Description = description,
        HelpName = string.Join('|', Choices<T>()),
        CustomParser = result => Parse<T>(name, result) ?? default,
    };

    public static Option<T?> CreateOptional<T>(string name, string description)
        where T : struct, Enum => new(name)
    {
        Description = description,
        HelpName = string.Join('|', Choices<T>()),
        CustomParser = result => Parse<T>(name, result),
    };

    private static T? Parse<T>(string name, ArgumentResult result)
        where T : struct, Enum
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !text.Any(char.IsDigit))
            return value;

        result.AddError($"{name}: '{text}' is not one of {string.Join(", ", Choices<T>())}");
        return null;
    }

    private static IEnumerable<string> Choices<T>()
        where T : struct, Enum => Enum.GetNames<T>().Select(n => n.ToLowerInvariant());
}
