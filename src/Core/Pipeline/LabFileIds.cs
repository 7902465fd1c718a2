using PrecisionMed.Core.Fhir;

namespace PrecisionMed.Core.Pipeline;

/// <summary>A file's ledger id: one per lab and content, so the same bytes dropped again are found by a point read.</summary>
public static class LabFileIds
{
    public static string For(string labId, string contentHash) => DeterministicIds.Create("lab-file", labId, contentHash);
}
