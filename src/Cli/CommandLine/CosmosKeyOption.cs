using System.CommandLine;
using System.CommandLine.Parsing;

namespace PrecisionMed.Cli.CommandLine;

/// <summary>
/// <c>--cosmos-key</c>: an emulator's account key. Cosmos DB keys are base64; the SDK refuses anything else only when it
/// first signs a request, with a message that names no option, so a malformed key is a usage error here instead.
/// </summary>
internal sealed class CosmosKeyOption : Option<string?>
{
    public const string EnvironmentVariable = "PMED_COSMOS_KEY";

    public CosmosKeyOption(string description)
        : base("--cosmos-key")
    {
        Description = description + " Default: $" + EnvironmentVariable + ".";
        HelpName = "KEY";
        CustomParser = Parse;
    }

    /// <summary>The option's value, else the environment's; null when neither is set.</summary>
    public string? ValueOrEnvironment(ParseResult parse) => parse.GetValue(this) ?? EnvironmentDefault.Value(EnvironmentVariable);

    /// <summary>
    /// <c>$PMED_COSMOS_KEY</c> stands for the option when the option is not given: checked as the option's value is, when
    /// <paramref name="command"/> is parsed, so that a malformed one is the same usage error, naming the variable.
    /// </summary>
    public void CheckEnvironmentIn(Command command) => EnvironmentDefault.CheckIn(command, this, EnvironmentVariable, Problem);

    /// <summary>Null when the value is a base64 key, else why not (never the value: it is a secret).</summary>
    private static string? Problem(string value) =>
        value.Length > 0 && Convert.TryFromBase64String(value, new byte[value.Length], out _) ? null : "the value is not a base64 account key";

    private string? Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
        if (Problem(text) is not { } problem) return text;

        // The key is a secret: never echo it.
        result.AddError($"{Name}: {problem}");
        return null;
    }
}
