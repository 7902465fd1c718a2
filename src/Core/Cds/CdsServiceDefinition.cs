namespace PrecisionMed.Core.Cds;

/// <summary>One entry of the CDS Hooks discovery answer (<c>GET /cds-services</c>).</summary>
/// <param name="Prefetch">Prefetch templates by key: FHIR queries with <c>{{context.patientId}}</c> tokens.</param>
public sealed record CdsServiceDefinition(
    string Hook,
    string Id,
    string Title,
    string Description,
    IReadOnlyDictionary<string, string> Prefetch,
    string UsageRequirements);

/// <summary>
/// The services, one per hook: a discovery entry names exactly one hook, so each capability is offered as
/// <c>{capability}-order-select</c> and <c>{capability}-order-sign</c>, answering the same way on both hooks' context
/// (order-select also has <c>selections</c>, which narrow the draft orders looked at).
/// </summary>
public static class CdsServiceCatalog
{
    public const string OrderSelect = "order-select";
    public const string OrderSign = "order-sign";
    public const string PgxPrescribing = "pgx-prescribing";
    public const string GeneticTestGovernance = "genetic-test-governance";

    /// <summary>The draft orders' Medication resources and the patient's earlier genetic test orders.</summary>
    public const string MedicationsPrefetch = "draftMedications";
    public const string GeneticOrdersPrefetch = "geneticTestOrders";

    private const string Usage =
        "Send the EHR's signed JWT (Authorization: Bearer) from an issuer on this service's allow-list. The patient's genetic results are "
        + "read from this app's genomic index (context.patientId is the Patient id of the FHIR service the lab results are written to). "
        + "Send fhirServer and fhirAuthorization for Medication resources that are neither in draftOrders, contained nor prefetched.";

    public static IReadOnlyList<CdsServiceDefinition> Services { get; } =
    [
        Pgx(OrderSelect), Pgx(OrderSign), Governance(OrderSelect), Governance(OrderSign),
    ];

    public static CdsServiceDefinition? Find(string id) => Services.FirstOrDefault(s => s.Id == id);

    /// <summary><c>pgx-prescribing</c> for <c>pgx-prescribing-order-sign</c>.</summary>
    public static string CapabilityOf(CdsServiceDefinition service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return service.Id[..^(service.Hook.Length + 1)];
    }

    private static CdsServiceDefinition Pgx(string hook) => new(
        hook,
        $"{PgxPrescribing}-{hook}",
        "Pharmacogenomic prescribing (CPIC)",
        "For each draft MedicationRequest whose drug (RxNorm ingredient) has a CPIC guideline: the patient's genotype and phenotype from the "
            + "genomic index and CPIC's recommendation for them, as a card (critical when CPIC says to avoid the drug, warning for a dose "
            + "change or alternative); a pre-test card when the patient has no result for the guideline's genes.",
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [MedicationsPrefetch] = "MedicationRequest?patient={{context.patientId}}&status=draft&_include=MedicationRequest:medication",
        },
        Usage);

    private static CdsServiceDefinition Governance(string hook) => new(
        hook,
        $"{GeneticTestGovernance}-{hook}",
        "Genetic test ordering governance",
        "For each draft ServiceRequest that is a germline genetic test (LOINC, the lab's test code, or the genes it names): a warning when the "
            + "patient already has a final germline result covering those genes, naming the earlier test, its date and lab, with a suggestion "
            + "to cancel the draft; a duplicate draft in the same encounter is flagged too. Somatic tests, reanalysis and added genes are not.",
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [GeneticOrdersPrefetch] = "ServiceRequest?patient={{context.patientId}}&status=active,completed",
        },
        Usage);
}
