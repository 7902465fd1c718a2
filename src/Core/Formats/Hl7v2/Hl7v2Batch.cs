using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Formats.Hl7v2;

/// <summary>
/// The messages of one HL7 v2 file: a single message, messages one after another, or FHS/BHS
/// batches wrapping many. Each message is one report unit.
/// </summary>
/// <param name="Messages">The messages in file order; never empty.</param>
/// <param name="BatchCount">How many BHS batches the file declares (0 for a plain message file).</param>
/// <param name="Diagnostics">File-level problems that do not stop reading (a trailer count that disagrees, a missing trailer).</param>
public sealed record Hl7v2Batch(
    IReadOnlyList<Hl7v2MessageSlice> Messages, int BatchCount, IReadOnlyList<LabFileProblem> Diagnostics);
