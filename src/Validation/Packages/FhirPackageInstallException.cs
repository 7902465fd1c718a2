namespace PrecisionMed.Validation.Packages;

/// <summary>
/// A package could not be installed: the registry is unreachable or answered an HTTP error, or the tarball
/// failed its integrity check or could not be unpacked. The message names the package and the URL.
/// </summary>
public sealed class FhirPackageInstallException : Exception
{
    public FhirPackageInstallException()
    {
    }

    public FhirPackageInstallException(string message)
        : base(message)
    {
    }

    public FhirPackageInstallException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
