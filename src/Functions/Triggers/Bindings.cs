namespace PrecisionMed.Functions.Triggers;

/// <summary>The names triggers bind to; Bicep and local.settings.json use the same ones.</summary>
internal static class Bindings
{
    /// <summary>The lab data storage account's connection (<c>LabStorage__blobServiceUri</c> etc. in Azure).</summary>
    public const string LabStorage = "LabStorage";

    public const string IncomingPath = "incoming/{labId}/{name}";
    public const string WorkQueue = "lab-reports";
    public const string PoisonQueue = "lab-reports-poison";
    public const string ReinterpretationQueue = "reinterpretations";
    public const string ReinterpretationPoisonQueue = "reinterpretations-poison";

    /// <summary>
    /// Where the blob extension puts a blob whose trigger failed on every attempt: in the account of the blob trigger's own
    /// connection (<see cref="LabStorage"/>), not the host's AzureWebJobsStorage, for the Event Grid source as for polling.
    /// </summary>
    public const string BlobTriggerPoisonQueue = "webjobs-blobtrigger-poison";
}
