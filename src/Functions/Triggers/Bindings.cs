namespace PrecisionMed.Functions.Triggers;

/// <summary>The names triggers bind to; Bicep and local.settings.json use the same ones.</summary>
internal static class Bindings
{
    /// <summary>The lab data storage account's connection (<c>LabStorage__blobServiceUri</c> etc. in Azure).</summary>
    public const string LabStorage = "LabStorage";

    public const string IncomingPath = "incoming/{labId}/{name}";
    public const string WorkQueue = "lab-reports";
    public const string PoisonQueue = "lab-reports-poison";

    /// <summary>The host's own storage (<c>AzureWebJobsStorage__queueServiceUri</c> etc. in Azure).</summary>
    public const string HostStorage = "AzureWebJobsStorage";

    /// <summary>Where the Functions host puts a blob whose trigger failed on every attempt (in the host's storage).</summary>
    public const string BlobTriggerPoisonQueue = "webjobs-blobtrigger-poison";
}
