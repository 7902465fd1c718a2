using System.CommandLine;

namespace PrecisionMed.Cli.Ingest;

/// <summary><c>pmed ingest PATH... [--out DIR] [--fhir URL] [--lab ID] [--json]</c>.</summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("path")
        {
            Description = "Lab files or folders of them (searched recursively).",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "Where to write one FHIR transaction Bundle JSON per report.",
            DefaultValueFactory = _ => new DirectoryInfo("out"),
        };
        var fhir = new Option<Uri?>("--fhir") { Description = "Also post each bundle to this FHIR R4 server (base URL)." };
        var lab = new Option<string>("--lab")
        {
            Description = "The lab the files come from (in Azure it is the blob folder).",
            DefaultValueFactory = _ => "local",
        };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON instead of a table." };

        var command = new Command("ingest", "Ingest lab files end to end with the embedded defaults: detect, split, map, build FHIR bundles.")
        {
            paths, output, fhir, lab, json,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var options = new IngestOptions(
                parse.GetValue(paths) ?? [],
                parse.GetValue(output)!,
                parse.GetValue(fhir),
                parse.GetValue(lab)!,
                parse.GetValue(json));
            return new IngestRunner(options, Console.Out, Console.Error).RunAsync(cancellationToken);
        });
        return command;
    }
}

internal sealed record IngestOptions(IReadOnlyList<string> Paths, DirectoryInfo Output, Uri? FhirUrl, string LabId, bool Json);
