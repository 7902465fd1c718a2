using System.CommandLine;
using PrecisionMed.Cli.Ingest;
using PrecisionMed.Cli.Knowledge;
using PrecisionMed.Cli.Ledger;
using PrecisionMed.Cli.Review;
using PrecisionMed.Cli.Validate;

var root = new RootCommand("pmed: PrecisionMed Serverless from the command line. Lab files in, Genomics IG FHIR out.")
{
    IngestCommand.Create(),
    KnowledgeCommand.Create(),
    LedgerCommands.Status(),
    LedgerCommands.Replay(),
    ReviewCommand.Create(),
    ValidateCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
