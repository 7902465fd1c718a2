using System.CommandLine;
using PrecisionMed.Cli.Ingest;

var root = new RootCommand("pmed: PrecisionMed Serverless from the command line. Lab files in, Genomics IG FHIR out.")
{
    IngestCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
