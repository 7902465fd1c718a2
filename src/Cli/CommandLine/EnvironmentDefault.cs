using System.CommandLine;

namespace PrecisionMed.Cli.CommandLine;

/// <summary>
/// An environment variable that stands for an option when the option is not given (<c>$PMED_STORAGE</c>,
/// <c>$PMED_COSMOS_KEY</c>): checked as the option's value is, when the command is parsed, so that a malformed one is
/// the same usage error, naming the variable. Never its value: these hold keys.
/// </summary>
internal static class EnvironmentDefault
{
    /// <summary>The variable's value; null when it is not set or empty.</summary>
    public static string? Value(string variable) => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : null;

    /// <param name="problem">Null when a value is good, else why not, without the value.</param>
    public static void CheckIn(Command command, Option option, string variable, Func<string, string?> problem) => command.Validators.Add(result =>
    {
        if (result.GetResult(option) is not null) return; // given: its parser checks it, and it wins over the environment
        if (Value(variable) is { } value && problem(value) is { } why) result.AddError($"${variable}: {why}");
    });
}
