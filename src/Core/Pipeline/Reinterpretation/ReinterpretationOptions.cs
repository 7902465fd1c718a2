using System.ComponentModel.DataAnnotations;
using PrecisionMed.Core.Knowledge.Diff;

namespace PrecisionMed.Core.Pipeline.Reinterpretation;

/// <summary>Settings of reinterpretation runs (section <c>Reinterpretation</c>).</summary>
public sealed class ReinterpretationOptions
{
    public const string SectionName = "Reinterpretation";

    /// <summary>The least impact that is notified; a change below it is amended and recorded, not notified.</summary>
    [EnumDataType(typeof(ClinicalImpact))]
    public ClinicalImpact NotifyAtLeast { get; set; } = ClinicalImpact.Minor;

    /// <summary>The most reports one run reinterprets; the rest wait for the next run (a large release cannot flood FHIR).</summary>
    [Range(1, 1_000_000, ErrorMessage = "{0} must be between {1} and {2}")]
    public int MaxReportsPerRun { get; set; } = 5_000;

    /// <summary>Reports reinterpreted per minute at most (each reads its implications and writes one transaction).</summary>
    [Range(1, 100_000, ErrorMessage = "{0} must be between {1} and {2}")]
    public int ReportsPerMinute { get; set; } = 600;
}
