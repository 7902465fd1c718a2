using System.Reflection;

namespace PrecisionMed.Core.Pipeline;

/// <summary>Settings of the pipeline itself (section <c>Pipeline</c>).</summary>
public sealed class PipelineOptions
{
    public const string SectionName = "Pipeline";

    /// <summary>Recorded in every Provenance and error report.</summary>
    public string PipelineVersion { get; set; } = CurrentVersion;

    public static string CurrentVersion { get; } =
        typeof(PipelineOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
