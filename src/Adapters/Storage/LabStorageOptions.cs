using PrecisionMed.Adapters.Settings;

namespace PrecisionMed.Adapters.Storage;

/// <summary>
/// The lab data storage account. The setting names are the Functions host's own for the
/// <c>LabStorage</c> connection, so triggers and adapters read the same configuration:
/// <c>LabStorage</c> (a connection string, local emulator only) or
/// <c>LabStorage__blobServiceUri</c> + <c>LabStorage__queueServiceUri</c> + <c>LabStorage__clientId</c> (Azure, managed identity).
/// </summary>
public sealed class LabStorageOptions
{
    public const string ConnectionName = "LabStorage";

    public string? ConnectionString { get; set; }
    [HttpUrl]
    public Uri? BlobServiceUri { get; set; }

    [HttpUrl]
    public Uri? QueueServiceUri { get; set; }
    public string? ClientId { get; set; }

    /// <summary>The work queue (<c>lab-reports</c>); its poison queue is the same name + <c>-poison</c>.</summary>
    [QueueName]
    public string WorkQueueName { get; set; } = "lab-reports";

    /// <summary>The queue of reinterpretation work items (one per affected report of a knowledge diff).</summary>
    [QueueName]
    public string ReinterpretationQueueName { get; set; } = "reinterpretations";

    /// <summary>Create containers and queues when missing: for local stacks; in Azure the Bicep does it.</summary>
    public bool CreateIfMissing { get; set; }
}
