using System.Globalization;
using PrecisionMed.Cli.CommandLine;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Arrival;

namespace PrecisionMed.Cli.Ingest;

/// <summary><c>--patient</c>/<c>--accession</c>: the patient of a single-sample VCF, as a manifest beside it would state.</summary>
internal static class StatedPatient
{
    /// <summary>What is wrong with <c>--patient</c>/<c>--accession</c> before any file is read; the stated patient when they are usable.</summary>
    public static string? Problem(IngestOptions options, int fileCount, out PatientIdentifier? stated)
    {
        stated = null;
        if (options.Patient is null)
            return options.Accession is null ? null : "--accession needs --patient (a VCF manifest states both for each sample column)";
        var bar = options.Patient.IndexOf('|', StringComparison.Ordinal);
        var system = bar > 0 ? options.Patient[..bar].Trim() : string.Empty;
        var value = bar > 0 ? options.Patient[(bar + 1)..].Trim() : string.Empty;
        if (bar <= 0 || value.Length == 0 || value.Contains('|', StringComparison.Ordinal) || !Uri.TryCreate(system, UriKind.Absolute, out _))
            return "--patient must be SYSTEM|VALUE: an absolute URI (e.g. urn:oid:2.16.840.1.113883.19.5) and the identifier's value";
        if (options.Accession is { } accession && string.IsNullOrWhiteSpace(accession)) return "--accession must not be empty";
        if (fileCount != 1) return $"--patient states one patient for one file, but {fileCount} files were given: put a NAME.vcf.manifest.json beside each VCF";
        stated = new PatientIdentifier(system, value);
        return null;
    }

    /// <summary>A file <c>--patient</c> cannot speak for: not a VCF, or a VCF of several sample columns.</summary>
    public static async Task<string?> FileProblemAsync(string path, LabFileIntake intake, CancellationToken cancellationToken)
    {
        if (SpecialFile.KindOf(path) is not null) return null; // the run rejects it unread, as not a regular file
        try
        {
            var plan = await intake.PlanAsync(ct => Task.FromResult<Stream>(File.OpenRead(path)), cancellationToken);
            if (plan.Format.Format != LabFileFormat.Vcf) return $"--patient is for VCF files; {Path.GetFileName(path)} is {plan.Format.Format}, which names its patient itself";
            return plan.UnitCount == 1 ? null
                : string.Create(CultureInfo.InvariantCulture, $"--patient states one patient, but {Path.GetFileName(path)} has {plan.UnitCount} sample columns: put a NAME.vcf.manifest.json beside it");
        }
        catch (LabFileRejectedException)
        {
            return null; // the run reports the file as rejected, with its reason
        }
    }
}
