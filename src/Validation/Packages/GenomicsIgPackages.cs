namespace PrecisionMed.Validation.Packages;

/// <summary>
/// The npm packages the validator reads, at the versions and with the integrity recorded in
/// tests/fhir-packages/package-lock.json (a test keeps the two equal). R4 core is not among them: it comes
/// from the Hl7.Fhir.Specification.Data.R4 NuGet package.
/// </summary>
public static class GenomicsIgPackages
{
    /// <summary>In resolution order (first match wins), as the IG publisher resolves them.</summary>
    public static IReadOnlyList<FhirPackage> All { get; } =
    [
        new(
            "hl7.fhir.uv.genomics-reporting",
            "3.0.0",
            "sha512-XNjaWxZ7ZJ3pb7FuMxNqgGjPtssigYADLNEOcAYRV2niLABCMapDdIjPy+exTfCCZGd6SOuvezNizbCtAze3IA=="),
        new(
            "hl7.fhir.uv.extensions.r4",
            "5.3.0-ballot-tc1",
            "sha512-mhPmWj0dZvIC7JQLkqxT42/UpoIyYwFtSiIZbhX/ArfX96hR5oTqNvAUvMD+dMH45m4mGMQ19WyCZFpP1OLEbQ=="),
        new(
            "hl7.terminology.r4",
            "7.0.1",
            "sha512-UamZUcARk/TEaJb7X0hDyANmC7bCv0Jof0u0uGIOB2O9VQX0uV45Vf4EyONHM6Sejv6q7sXEAzKAQsgw1Cld3A=="),
    ];
}
