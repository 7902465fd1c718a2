using System.ComponentModel.DataAnnotations;
using PrecisionMed.Adapters.Settings;

namespace PrecisionMed.Adapters.Cosmos;

/// <summary>Cosmos DB (section <c>Cosmos</c>): the ledger and the knowledge store.</summary>
public sealed class CosmosOptions
{
    public const string SectionName = "Cosmos";

    [HttpUrl]
    public Uri? Endpoint { get; set; }

    [Required]
    public string Database { get; set; } = "precisionmed";

    [Required]
    public string LedgerContainer { get; set; } = "ledger";

    [Required]
    public string KnowledgeContainer { get; set; } = "knowledge";

    /// <summary>The genomic index (partitioned by <c>/pk</c>: a patient's reports, a gene, a genomic bin, a medication, a condition).</summary>
    [Required]
    public string GenomicIndexContainer { get; set; } = "genomic-index";

    /// <summary>CDS Hooks feedback (card outcomes, no PHI), partitioned by <c>/pk</c>: the service id.</summary>
    public string CdsFeedbackContainer { get; set; } = "cds-feedback";

    /// <summary>The user-assigned managed identity's client id (Azure). Cosmos local auth is off there.</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// Only for the local emulator server, which accepts any base64 key: never set in Azure, where
    /// the account has <c>disableLocalAuth</c>.
    /// </summary>
    public string? EmulatorKey { get; set; }

    /// <summary>Create the database and containers when missing: for local stacks; in Azure the Bicep does it.</summary>
    public bool CreateIfMissing { get; set; }

    internal bool IsEmulator => !string.IsNullOrEmpty(EmulatorKey);
}
