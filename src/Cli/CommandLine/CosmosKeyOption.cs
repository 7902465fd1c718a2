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
    public string? ValueOrEnvironment(ParseResult parse) => parse.GetValue(this) ?? Environment.GetEnvironmentVariable(EnvironmentVariable);

    private string? Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
        var buffer = new byte[text.Length];
        if (text.Length > 0 && Convert.TryFromBase64String(text, buffer, out _)) return text;

        // The key is a secret: never echo it.
        result.AddError($"{Name}: the value is not a base64 account key");
        return null;
    }
}
