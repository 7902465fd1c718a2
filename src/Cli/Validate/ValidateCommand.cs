using System.CommandLine;
using PrecisionMed.Cli.CommandLine;

namespace PrecisionMed.Cli.Validate;

/// <summary><c>pmed validate PATH... [--packages DIR] [--registry URL] [--warnings | --quiet] [--json]</c>.</summary>
internal static class ValidateCommand
{
    /// <summary>The command writing to the given streams (the process's console, or a test's).</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var paths = new Argument<string[]>("path")
        {
            Description = "FHIR JSON files (a Bundle or one resource) or folders of them (*.json, searched recursively).",
            Arity = ArgumentArity.OneOrMore,
        };
        UnknownOptions.RefuseIn(paths);
        var packages = PackagesOption();
        var registry = RegistryOption();
        var warnings = new Option<bool>("--warnings") { Description = "Also list each warning (by default only counted: most are terminology the offline validator cannot check)." };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the closing summary line (and the exit code says the rest)." };
        var json = new Option<bool>("--json") { Description = "Print the findings as JSON instead of lines." };

        var command = new Command(
            "validate",
            "Validate FHIR bundles or resources against FHIR R4 and the Genomics Reporting IG 3.0.0, offline. Exit 0 valid (warnings allowed), 2 any error.")
        {
            paths, packages, registry, warnings, quiet, json,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var options = new ValidateOptions(parse.GetValue(paths) ?? [], parse.GetValue(packages), parse.GetValue(registry)?.ToString())
            {
                Warnings = parse.GetValue(warnings),
                Quiet = parse.GetValue(quiet),
                Json = parse.GetValue(json),
            };
            return new ValidateRunner(options, stdout, stderr).RunAsync(cancellationToken);
        });
        return command;
    }

    /// <summary>Shared with <c>pmed ingest --validate</c>.</summary>
    internal static Option<string?> PackagesOption() => new("--packages")
    {
        Description = "The folder of the IG's FHIR packages: unpacked npm packages (e.g. tests/fhir-packages/node_modules) or a cache "
            + $"they are installed into on first use. Default: ${ValidatorSetup.PackagesVariable}, else ~/.cache/pmed/fhir-packages.",
    };

    /// <summary>Shared with <c>pmed ingest --validate</c>.</summary>
    internal static UrlOption RegistryOption() => new(
        "--registry",
        ServiceEndpoint.NpmRegistry,
        "The npm registry the packages are installed from on first use. Default: $npm_config_registry, else https://registry.npmjs.org/.");
}

internal sealed record ValidateOptions(IReadOnlyList<string> Paths, string? Packages, string? Registry)
{
    public bool Warnings { get; init; }

    public bool Quiet { get; init; }

    public bool Json { get; init; }
}
