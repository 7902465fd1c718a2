namespace PrecisionMed.Core.Fhir;

/// <summary>
/// A PUT entry's resource as the report's builder wrote it: its type, the profile it declares (its only
/// <c>meta.profile</c>, or null when it declares none) and where its JSON lies in the transaction's buffer, so that a
/// step needing a few of a report's resources (the genomic index) parses those and no others.
/// </summary>
public readonly record struct WrittenResource(string Type, string? Profile, int Offset, int Length);
