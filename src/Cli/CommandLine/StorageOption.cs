using System.CommandLine;
using System.CommandLine.Parsing;
using Azure.Storage.Queues;

namespace PrecisionMed.Cli.CommandLine;

/// <summary>
/// <c>--storage</c>: the lab data account, as a connection string (an emulator's) or its queue service URL. The Storage
/// SDK refuses a malformed one only when the command builds its client, in words that name no option
/// (<c>Settings must be of the form "name=value"</c>), so it is checked here, by the same parser, as a usage error.
/// </summary>
internal sealed class StorageOption : Option<string?>
{
    public const string EnvironmentVariable = "PMED_STORAGE";

    public StorageOption(string description)
        : base("--storage")
    {
        Description = description;
        CustomParser = Parse;
    }

    /// <summary>
    /// <c>$PMED_STORAGE</c> stands for the option when the option is not given: checked as the option's value is, when
    /// <paramref name="command"/> is parsed, so that a malformed one is the same usage error, naming the variable.
    /// </summary>
    public void CheckEnvironmentIn(Command command) => EnvironmentDefault.CheckIn(command, this, EnvironmentVariable, Problem);

    /// <summary>Null when the value is a connection string the Storage SDK accepts or an absolute http(s) URL, else why not (never the value: it may hold a key).</summary>
    public static string? Problem(string value)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var url))
            return url.Scheme is "http" or "https" && url.Host.Length > 0 ? null : "not an http(s) URL";

        try
        {
            _ = new QueueServiceClient(value);
            return null;
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException)
        {
            return "not a storage connection string or URL (give UseDevelopmentStorage=true, an emulator's connection string with "
                + "AccountName, AccountKey and its endpoints, or the queue service URL https://ACCOUNT.queue.core.windows.net/)";
        }
    }

    private string? Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(' ', result.Tokens.Select(t => t.Value));
        if (Problem(text) is not { } problem) return text;

        // A connection string holds the account key: never echo it.
        result.AddError($"{Name}: {problem}");
        return null;
    }
}
