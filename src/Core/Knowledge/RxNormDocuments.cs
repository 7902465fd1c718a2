namespace PrecisionMed.Core.Knowledge;

/// <summary>
/// An RxNorm drug concept (a clinical or branded drug, pack, component, form group, brand name, multiple or precise
/// ingredient) and the ingredients (<c>IN</c>) it resolves to through RxNorm's own relationships, so that an order coded
/// with <c>clopidogrel 75 MG Oral Tablet</c> (SCD 309362) is recognised as clopidogrel (IN 32968). One document per
/// concept: a draft order's code is one point read, and the lookup caches it.
/// </summary>
/// <param name="Tty">RxNorm's term type of the concept (SCD, SBD, GPCK, BPCK, BN, MIN, PIN, SCDC, ...).</param>
public sealed record RxNormDrugDocument(string RxCui, string Tty, string Name, IReadOnlyList<RxNormIngredient> Ingredients) : KnowledgeDocument
{
    public override string Id => KnowledgeIds.RxNormDrug(RxCui);
}

/// <summary>An RxNorm ingredient (<c>IN</c>): its RXCUI, the code CPIC's drug table keys drugs by, and its name.</summary>
public sealed record RxNormIngredient(string RxCui, string Name);
