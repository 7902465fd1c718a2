using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Validation;
using PrecisionMed.Validation.Packages;

namespace PrecisionMed.Cli.Validate;

/// <summary>
/// Validates FHIR JSON files with one validator for the whole run: paths are checked before the validator is
/// built (seconds), the IG packages are installed on first use, and each file's issues are printed as it is done.
/// </summary>
internal sealed class ValidateRunner(ValidateOptions options, TextWriter stdout, TextWriter stderr)
{
    public const int ExitOk = ExitCodes.Ok;
    public const int ExitUsage = ExitCodes.Usage;
    public const int ExitInvalid = ExitCodes.Rejected;
    public const int ExitUnreachable = ExitCodes.ServiceFailed;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (options.Warnings && options.Quiet) return await UsageAsync("--warnings and --quiet exclude each other");
        var files = ExpandPaths(options.Paths, out var missing, out var special);
        foreach (var path in missing) await stderr.WriteLineAsync($"pmed validate: {path}: no such file or folder");
        foreach (var (path, kind) in special) await stderr.WriteLineAsync($"pmed validate: {path}: skipped: {SpecialFile.NotRead(kind)}");
        if (missing.Count > 0) return ExitUsage;
        if (files.Count == 0) return await UsageAsync($"no .json files in {string.Join(", ", options.Paths)}");
        if (ValidatorSetup.Registry(options.Registry, out var registryError) is not { } registry) return await UsageAsync(registryError!);

        var packageRoot = ValidatorSetup.PackageRoot(options.Packages);
        FhirProfileValidator validator;
        try
        {
            validator = await ValidatorSetup.CreateAsync(packageRoot, registry, stderr, cancellationToken);
        }
        catch (FhirPackageInstallException ex)
        {
            await stderr.WriteLineAsync($"pmed validate: {ex.Message}");
            return ExitUnreachable;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return await UsageAsync($"cannot use the package folder {packageRoot}: {ex.Message}");
        }

        var results = new List<FileFindings>(files.Count);
        foreach (var file in files)
        {
            var findings = new FileFindings(file, await ValidateFileAsync(file, validator, cancellationToken));
            results.Add(findings);
            if (options.Json || options.Quiet) continue;
            foreach (var line in FindingsOutput.Lines(findings, options.Warnings)) await stdout.WriteLineAsync(line);
        }

        if (options.Json) await stdout.WriteLineAsync(FindingsOutput.Json(results));
        else await stdout.WriteLineAsync("pmed validate: " + FindingsOutput.Summary(results, options.Warnings));
        return results.Any(r => r.Errors > 0) ? ExitInvalid : ExitOk;
    }

    private static async Task<IReadOnlyList<ResourceFindings>> ValidateFileAsync(string file, FhirProfileValidator validator, CancellationToken cancellationToken)
    {
        // Before it is opened: opening a named pipe waits for a writer, for ever when there is none.
        if (SpecialFile.KindOf(file) is { } kind) return [FileError(SpecialFile.NotRead(kind))];
        string json;
        try
        {
            json = await File.ReadAllTextAsync(file, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [FileError($"cannot be read: {ex.Message}")];
        }

        return FhirJsonValidation.Validate(json, validator);
    }

    private static ResourceFindings FileError(string message) =>
        new(null, ResourceFindings.FileKey, null, [new ValidationIssue(ValidationSeverity.Error, "(file)", message, null)]);

    private async Task<int> UsageAsync(string message)
    {
        await stderr.WriteLineAsync($"pmed validate: {message}");
        return ExitUsage;
    }

    /// <summary>
    /// The files to validate, the paths that do not exist, and what a folder holds that is not a regular file (a named pipe,
    /// a socket, a device), left unread. A path named itself is among the files whatever it is: it is rejected unread.
    /// </summary>
    private static List<string> ExpandPaths(IReadOnlyList<string> paths, out List<string> missing, out List<(string Path, string Kind)> special)
    {
        missing = [];
        special = [];
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path)) files.Add(path);
            else if (Directory.Exists(path))
                files.AddRange(SpecialFile.SetAside(Directory.EnumerateFiles(path, "*.json", SearchOption.AllDirectories)
                    .Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal), special));
            else missing.Add(path);
        }

        return files;
    }
}
