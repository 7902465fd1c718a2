using System.CommandLine;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Cli.Validate;
using PrecisionMed.Core.Formats.Vcf;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline;

namespace PrecisionMed.Cli.Ingest;

/// <summary><c>pmed ingest PATH... [--patient SYSTEM|VALUE [--accession ID]] [--out DIR] [--fhir URL] [--lab ID] [--json] [--pretty] [--timings] [--cosmos URL [--cosmos-key KEY]] [--validate [--packages DIR]]</c> and the VCF policy flags.</summary>
internal static class IngestCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var paths = new Argument<string[]>("path")
        {
            Description = "Lab files or folders of them (searched recursively).",
            Arity = ArgumentArity.OneOrMore,
        };
        UnknownOptions.RefuseIn(paths);
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "Where to write one FHIR transaction Bundle JSON per report.",
            DefaultValueFactory = _ => new DirectoryInfo("out"),
        };
        PathOptions.AcceptFolderOnly(output);
        var fhir = new UrlOption("--fhir", ServiceEndpoint.Fhir, "Also post each bundle to this FHIR R4 server (base URL).");
        var lab = new Option<string>("--lab")
        {
            Description = "The lab the files come from (in Azure it is the blob folder).",
            DefaultValueFactory = _ => "local",
        };
        lab.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && !LabFilePath.IsPlainLabId(result.Tokens[0].Value))
                result.AddError($"--lab: '{result.Tokens[0].Value}' is not a plain lab id (letters, digits, '-', '_' or '.', at most 63 characters)");
        });
        var json = new Option<bool>("--json") { Description = "Print the results as JSON instead of a table." };
        var pretty = new Option<bool>("--pretty") { Description = "Write the bundles as indented JSON (default: compact)." };
        var timings = new Option<bool>("--timings") { Description = "Print the time the files took, start-up excluded, to stderr." };
        var cosmos = new UrlOption("--cosmos", ServiceEndpoint.Cosmos, "Enrich from the knowledge store in this Cosmos DB account instead of the embedded seed.");
        var cosmosKey = new CosmosKeyOption("The emulator's key (local stacks only).");
        var database = new Option<string>("--database") { Description = "The Cosmos DB database.", DefaultValueFactory = _ => "precisionmed" };

        var build = new Option<string?>("--genome-build") { Description = "VCF: the genome build (GRCh37, GRCh38) when neither the header nor the lab's profile names one." };
        var source = new Option<string>("--source-class")
        {
            Description = "VCF: genomic source class of the variants when the lab's profile states none: germline, somatic or unknown.",
            DefaultValueFactory = _ => "germline",
        };
        var sex = ChoiceOption.Create<SampleSex>(
            "--sample-sex", "VCF: the sample's sex (unknown, male, female); a male's homozygous call on X/Y outside the PARs is hemizygous.");
        var regions = new Option<FileInfo>("--regions") { Description = "VCF: a BED file; only variants overlapping its regions are reported.", HelpName = "BED" };
        PathOptions.AcceptReadableFileOnly(regions, "a BED file", BedProblem);
        var genes = new Option<string[]>("--gene") { Description = "VCF: report variants in this gene (repeatable).", AllowMultipleArgumentsPerToken = true };
        genes.Validators.Add(result =>
        {
            // An HGNC symbol (BRCA2, HLA-A, C1orf112): anything else matches no annotation and would filter every variant out.
            foreach (var token in result.Tokens)
            {
                var symbol = token.Value.Trim();
                if (symbol.Length is 0 or > 40 || symbol.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.' or '@')))
                    result.AddError($"--gene: '{token.Value}' is not a gene symbol (an HGNC symbol such as BRCA2 or HLA-A)");
            }
        });
        var knownOnly = new Option<bool>("--known-only") { Description = "VCF: report only variants the knowledge store knows (or in --gene)." };
        var allFilters = new Option<bool>("--all-filters") { Description = "VCF: report records whatever their FILTER (default: PASS or '.' only)." };
        var maxVariants = new Option<int>("--max-variants")
        {
            Description = "VCF: the most Variant observations per sample; a file with more is rejected, never truncated.",
            DefaultValueFactory = _ => VcfOptions.DefaultMaxReportableVariants,
        };

        var patient = new Option<string?>("--patient")
        {
            Description = "VCF: the patient of a single-sample file, SYSTEM|VALUE (instead of a NAME.vcf.manifest.json beside it).",
            HelpName = "SYSTEM|VALUE",
        };
        var accession = new Option<string?>("--accession") { Description = "VCF: with --patient, the lab's accession of the report.", HelpName = "ID" };

        var validate = new Option<bool>("--validate")
        {
            Description = "Validate each bundle against FHIR R4 and the Genomics IG (as `pmed validate`) before it is posted; a file with an invalid bundle is not posted to --fhir and exits 2.",
        };
        var packages = ValidateCommand.PackagesOption();
        var registry = ValidateCommand.RegistryOption();

        var command = new Command("ingest", "Ingest lab files end to end with the embedded defaults: detect, split, map, enrich, build FHIR bundles.")
        {
            paths, output, fhir, lab, json, pretty, timings, cosmos, cosmosKey, database, build, source, sex, regions, genes, knownOnly, allFilters, maxVariants,
            patient, accession, validate, packages, registry,
        };
        cosmosKey.CheckEnvironmentIn(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            // Made here rather than when the first bundle is written: a folder that cannot be made is the option's fault.
            if (PathOptions.CreateProblem(output.Name, parse.GetValue(output)!) is { } outputProblem)
            {
                await stderr.WriteLineAsync($"{PmedCommandLine.Name}: {outputProblem}");
                return ExitCodes.Usage;
            }

            var options = new IngestOptions(
                parse.GetValue(paths) ?? [],
                parse.GetValue(output)!,
                parse.GetValue(fhir),
                parse.GetValue(lab)!,
                parse.GetValue(json))
            {
                Cosmos = parse.GetValue(cosmos),
                CosmosKey = cosmosKey.ValueOrEnvironment(parse),
                Database = parse.GetValue(database)!,
                Pretty = parse.GetValue(pretty),
                Timings = parse.GetValue(timings),
                Validate = parse.GetValue(validate),
                Packages = parse.GetValue(packages),
                Registry = parse.GetValue(registry)?.ToString(),
                Patient = parse.GetValue(patient),
                Accession = parse.GetValue(accession),
                Vcf = new VcfOptions
                {
                    GenomeBuild = parse.GetValue(build),
                    GenomicSourceClass = parse.GetValue(source)!,
                    SampleSex = parse.GetValue(sex),
                    RegionsBed = parse.GetValue(regions)?.FullName,
                    Genes = [.. parse.GetValue(genes) ?? []],
                    OnlyKnownVariants = parse.GetValue(knownOnly),
                    RequirePassFilter = !parse.GetValue(allFilters),
                    MaxReportableVariants = parse.GetValue(maxVariants),
                },
            };
            return await new IngestRunner(options, stdout, stderr).RunAsync(cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// What makes a BED file unusable, read once here rather than with each VCF: no region in it (every variant would be
    /// filtered out) or a line that is not a region (every VCF would be rejected for it).
    /// </summary>
    private static string? BedProblem(string path)
    {
        try
        {
            _ = BedRegions.Load(path);
            return null;
        }
        catch (LabFileRejectedException e)
        {
            return e.Problem.Position.Line is { } line ? $"line {line}: {e.Problem.Reason}" : e.Problem.Reason;
        }
        catch (IOException)
        {
            return "cannot be read (an I/O error)";
        }
    }
}

internal sealed record IngestOptions(IReadOnlyList<string> Paths, DirectoryInfo Output, Uri? FhirUrl, string LabId, bool Json)
{
    /// <summary>The knowledge store's Cosmos DB account; null for the embedded seed.</summary>
    public Uri? Cosmos { get; init; }

    public string? CosmosKey { get; init; }

    public string Database { get; init; } = "precisionmed";

    /// <summary><c>--pretty</c>: bundles written as indented JSON; compact otherwise.</summary>
    public bool Pretty { get; init; }

    /// <summary><c>--timings</c>: the time from the first file to the last, to stderr.</summary>
    public bool Timings { get; init; }

    /// <summary>Validate each bundle before it is written to FHIR (<c>--validate</c>); with the package folder and registry of <c>pmed validate</c>.</summary>
    public bool Validate { get; init; }

    public string? Packages { get; init; }

    public string? Registry { get; init; }

    /// <summary><c>--patient SYSTEM|VALUE</c>: the patient of a single-sample VCF, as a manifest would state it.</summary>
    public string? Patient { get; init; }

    /// <summary><c>--accession ID</c>: with <see cref="Patient"/>, the report's accession.</summary>
    public string? Accession { get; init; }

    /// <summary>How VCF files are read and which of their variants are reported.</summary>
    public VcfOptions Vcf { get; init; } = new();
}
