using System.CommandLine;
using System.Globalization;
using PrecisionMed.Cli.CommandLine;

namespace PrecisionMed.Cli.Review;

/// <summary>
/// <c>pmed review list | release FILE_ID [--unit N] | reject FILE_ID [--unit N] --reason TEXT</c>: reports held because
/// their patient details disagree with the EMR's Patient. Reaches the deployment's ledger, storage and FHIR service
/// through the function app's own settings, read from environment variables (<c>Cosmos__Endpoint</c>,
/// <c>LabStorage__blobServiceUri</c> or <c>LabStorage</c>, <c>Fhir__BaseUrl</c>, ...).
/// </summary>
internal static class ReviewCommand
{
    public const string Name = "review";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var list = new Command("list", "Held report units waiting for review: file id, unit, lab, when and which patient fields disagree (never values).");
        list.SetAction((_, cancellationToken) => RunAsync(stdout, stderr, runner => runner.ListAsync(cancellationToken)));

        var release = new Command("release", "Write the held report(s) of a file as the pipeline would have, and mark them Completed.");
        var releaseFile = FileIdArgument();
        var releaseUnit = UnitOption();
        release.Add(releaseFile);
        release.Add(releaseUnit);
        release.SetAction((parse, cancellationToken) => RunAsync(stdout, stderr, runner =>
            runner.ReleaseAsync(parse.GetValue(releaseFile)!, parse.GetValue(releaseUnit), cancellationToken)));

        var reject = new Command("reject", "Reject the held report(s) of a file: nothing is written, the file goes to rejected/ with the reason.");
        var rejectFile = FileIdArgument();
        var rejectUnit = UnitOption();
        var reason = new Option<string>("--reason")
        {
            Description = "Why (kept in the ledger and the error report): name the check, not the patient's details.",
            Required = true,
        };
        reject.Add(rejectFile);
        reject.Add(rejectUnit);
        reject.Add(reason);
        reject.SetAction((parse, cancellationToken) => RunAsync(stdout, stderr, runner =>
            runner.RejectAsync(parse.GetValue(rejectFile)!, parse.GetValue(rejectUnit), parse.GetValue(reason)!, cancellationToken)));

        return new Command(Name, "Reports held for review because their patient details disagree with the EMR's Patient of the same identifier. "
            + "Reaches the deployment through the function app's own settings in environment variables: Cosmos__Endpoint (and "
            + "Cosmos__EmulatorKey on a local stack), LabStorage__blobServiceUri and LabStorage__queueServiceUri (or LabStorage, a "
            + "connection string), Fhir__BaseUrl; in Azure the signed-in identity is used.")
        {
            list, release, reject,
        };
    }

    private static Argument<string> FileIdArgument()
    {
        var fileId = new Argument<string>("file-id") { Description = "The file's id in the ledger (as `pmed review list` shows)." };
        UnknownOptions.RefuseIn(fileId);
        return fileId;
    }

    private static Option<int?> UnitOption() => new("--unit")
    {
        Description = "Only this report unit of the file (1 = the first), not every held one.",
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var unit) && unit >= 1) return unit;
            result.AddError($"--unit: '{text}' is not a unit number (they count from 1)");
            return null;
        },
    };

    private static async Task<int> RunAsync(TextWriter stdout, TextWriter stderr, Func<ReviewRunner, Task<int>> run)
    {
        await using var services = ReviewRunner.BuildServices(ReviewRunner.SettingsFromEnvironment());
        return await run(new ReviewRunner(services, stdout, stderr));
    }
}
