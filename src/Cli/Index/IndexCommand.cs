using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Cli.Ledger;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Cli.Index;

/// <summary>
/// <c>pmed index rebuild [--patient ID] --fhir URL --cosmos URL</c>: the genomic index rebuilt from the FHIR service
/// (<see cref="GenomicIndexRebuilder"/>), for one patient or every patient with a report, with progress on stderr.
/// </summary>
internal static class IndexCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var patient = new Option<string?>("--patient") { Description = "One patient (Patient/ID or ID); default: every patient with a DiagnosticReport." };
        patient.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && !GenomicIndexRebuilder.IsPatient(result.Tokens[0].Value))
                result.AddError("--patient: not a FHIR Patient id (letters, digits, '-' and '.', at most 64), with or without 'Patient/'");
        });
        var fhir = new UrlOption("--fhir", ServiceEndpoint.Fhir, "The FHIR service to read the reports from (base URL).") { Required = true };
        var connection = LedgerConnectionOptions.Create(withStorage: false);
        var rebuild = new Command("rebuild", "Rebuild the genomic index (Cosmos DB) from the reports in the FHIR service: idempotent, resumable by patient.")
        {
            patient, fhir,
        };
        connection.AddTo(rebuild);
        rebuild.SetAction(async (parse, cancellationToken) =>
        {
            var ledger = connection.Read(parse) with { Fhir = parse.GetValue(fhir) };
            await using var services = ledger.BuildServices();
            if (AppServices.SettingsProblem(services) is { } problem)
            {
                await stderr.WriteLineAsync($"{PmedCommandLine.Name}: {problem}");
                return ExitCodes.Usage;
            }

            var progress = new StderrProgress(stderr);
            var result = await services.GetRequiredService<GenomicIndexRebuilder>().RebuildAsync(parse.GetValue(patient), progress, cancellationToken);
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{result.Patients} patient(s): {result.Reports} report(s) indexed, {result.Removed} removed (entered-in-error or cancelled)"));
            return ExitCodes.Ok;
        });
        return new Command("index", "The genomic index the Genomics Operations read.") { rebuild };
    }

    /// <summary>
    /// Progress written as it happens, on the caller's thread: <see cref="Progress{T}"/> would post it to the thread pool,
    /// where a line could arrive after the command ended and its writer was closed.
    /// </summary>
    private sealed class StderrProgress(TextWriter stderr) : IProgress<int>
    {
        public void Report(int value) =>
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{PmedCommandLine.Name} index rebuild: {value} patient(s) done"));
    }
}
