namespace PrecisionMed.Adapters;

/// <summary>
/// The services whose settings a host cannot start without. The function app needs all of them; a <c>pmed</c> command
/// needs those it talks to (and whatever else is set is still bound and checked).
/// </summary>
[Flags]
public enum AppConnections
{
    None = 0,

    /// <summary><c>LabStorage</c> (a connection string) or <c>LabStorage__blobServiceUri</c> and <c>LabStorage__queueServiceUri</c>.</summary>
    LabStorage = 1,

    /// <summary><c>Cosmos__Endpoint</c>: the ledger (and the knowledge store, when it is on Cosmos DB).</summary>
    Cosmos = 2,

    /// <summary><c>Fhir__BaseUrl</c>.</summary>
    Fhir = 4,

    All = LabStorage | Cosmos | Fhir,
}
