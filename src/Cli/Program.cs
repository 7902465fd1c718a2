using System.CommandLine;
using PrecisionMed.Cli.Ingest;
using PrecisionMed.Cli.Knowledge;
using PrecisionMed.Cli.Ledger;
using PrecisionMed.Cli.Review;

var root = new RootCommand("pmed: PrecisionMed Serverless from the command line. Lab files in, Genomics IG FHIR out.")
{
    IngestCommand.Create(),
    KnowledgeCommand.Create(),
    LedgerCommands.Status(),
    LedgerCommands.Replay(),
    ReviewCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
