namespace PrecisionMed.Validation;

/// <summary>The npm FHIR packages the offline validator reads are not in the folder it was given.</summary>
public sealed class FhirPackagesMissingException : Exception
{
    public FhirPackagesMissingException()
    {
    }

    public FhirPackagesMissingException(string message)
        : base(message)
    {
    }

    public FhirPackagesMissingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
