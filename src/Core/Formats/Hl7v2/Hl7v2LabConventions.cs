namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>What the knowledge store knows about how one lab writes its HL7 v2 messages.</summary>
/// <param name="LocalCodes">The lab's local OBX-3 codes and the LOINC code its code map gives each (local code → LOINC).</param>
/// <param name="PatientIdentifierSystem">
/// The lab profile's system for the lab's patient numbers, used for a PID-3 identifier whose assigning authority names
/// no OID or URI (an absolute URI; anything else is not used and is reported).
/// </param>
public sealed record Hl7v2LabConventions(IReadOnlyDictionary<string, string>? LocalCodes, string? PatientIdentifierSystem);
