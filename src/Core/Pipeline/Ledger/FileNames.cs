using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Pipeline.Ledger;

/// <summary>Takes a lab's file name out of what the status API answers (see <see cref="FileNameDisclosure"/>).</summary>
public static class FileNames
{
    /// <summary>What stands where a text quoted the withheld file name.</summary>
    public const string Placeholder = "(file name withheld)";

    /// <summary>The listing line of <paramref name="file"/>, with its name only when <paramref name="names"/> shows it.</summary>
    public static LabFileSummary Summary(LedgerFile file, IReadOnlyList<LedgerUnit> units, FileNameDisclosure names)
    {
        var summary = LabFileSummary.Of(file, units);
        return names == FileNameDisclosure.Shown
            ? summary with { BlobName = file.BlobName }
            : summary with { LastProblem = Withhold(summary.LastProblem, file.BlobName) };
    }

    /// <summary><paramref name="problem"/> with any quote of <paramref name="blobName"/> replaced.</summary>
    public static LabFileProblem? Withhold(LabFileProblem? problem, string blobName) =>
        problem is null ? null : problem with { Reason = Withhold(problem.Reason, blobName) };

    /// <summary><paramref name="text"/> with any quote of <paramref name="blobName"/> replaced.</summary>
    public static string Withhold(string text, string blobName)
    {
        if (blobName.Length == 0) return text;
        var withheld = text.Replace(blobName, Placeholder, StringComparison.Ordinal);
        // Texts quote the name without its folders too (a VCF unit's accession is "{name}:sample-N").
        var name = Path.GetFileName(blobName);
        return name.Length == 0 || name == blobName ? withheld : withheld.Replace(name, Placeholder, StringComparison.Ordinal);
    }

    /// <summary>The events with any quote of <paramref name="blobName"/> replaced.</summary>
    public static IReadOnlyList<LedgerEvent> Withhold(IReadOnlyList<LedgerEvent> history, string blobName) =>
        [.. history.Select(e => e with { What = Withhold(e.What, blobName) })];

    /// <summary>The unit with any quote of <paramref name="blobName"/> in its accession, problems and history replaced.</summary>
    public static LedgerUnit Withhold(LedgerUnit unit, string blobName) => unit with
    {
        Accession = unit.Accession is null ? null : Withhold(unit.Accession, blobName),
        Problem = Withhold(unit.Problem, blobName),
        Skipped = [.. unit.Skipped.Select(p => Withhold(p, blobName)!)],
        History = Withhold(unit.History, blobName),
    };
}
