using System.CommandLine;

namespace PrecisionMed.Cli.CommandLine;

/// <summary>
/// System.CommandLine hands a mistyped option (<c>--bogus</c>) to an argument that takes any string, so that it would be
/// read as a path or a file id; arguments here refuse option-like words instead, as the parser does elsewhere.
/// </summary>
internal static class UnknownOptions
{
    public static void RefuseIn(Argument argument) => argument.Validators.Add(result =>
    {
        foreach (var token in result.Tokens.Where(t => t.Value.Length > 1 && t.Value.StartsWith('-')))
            result.AddError($"Unrecognized command or argument '{token.Value}'.");
    });
}
