using System.CommandLine;
using PrecisionMed.Cli.CommandLine;

namespace PrecisionMed.Cli.Ledger;

/// <summary>Where a command finds the app's ledger (Cosmos DB) and, when it queues work, the work queue: shared by <c>status</c>, <c>replay</c> and <c>serve</c>.</summary>
internal sealed record LedgerConnectionOptions(UrlOption Cosmos, CosmosKeyOption Key, Option<string> Database, StorageOption? Storage, Option<string>? Queue)
{
    public static LedgerConnectionOptions Create(bool withStorage) => new(
        new UrlOption("--cosmos", ServiceEndpoint.Cosmos, "The Cosmos DB account endpoint holding the ledger.") { Required = true },
        new CosmosKeyOption("The emulator's key (local stacks only; in Azure the signed-in identity is used)."),
        new Option<string>("--database") { Description = "The database.", DefaultValueFactory = _ => "precisionmed" },
        withStorage
            ? new StorageOption(
                "The lab data account: an emulator connection string, or its queue service URL https://ACCOUNT.queue.core.windows.net/ "
                + "(the signed-in identity is used). Default: $" + StorageOption.EnvironmentVariable + ".")
            : null,
        withStorage ? new Option<string>("--queue") { Description = "The work queue.", DefaultValueFactory = _ => "lab-reports" } : null);

    public void AddTo(Command command)
    {
        command.Options.Add(Cosmos);
        command.Options.Add(Key);
        Key.CheckEnvironmentIn(command);
        command.Options.Add(Database);
        if (Storage is not null)
        {
            command.Options.Add(Storage);
            Storage.CheckEnvironmentIn(command);
        }

        if (Queue is not null) command.Options.Add(Queue);
    }

    public LedgerConnection Read(ParseResult parse) => new(
        parse.GetValue(Cosmos)!,
        Key.ValueOrEnvironment(parse),
        parse.GetValue(Database)!,
        Storage is null ? null : parse.GetValue(Storage) ?? EnvironmentDefault.Value(StorageOption.EnvironmentVariable),
        Queue is null ? "lab-reports" : parse.GetValue(Queue)!);
}
