namespace PrecisionMed.Validation.Packages;

/// <summary>One npm FHIR package at an exact version, with the integrity npm's lock file records for its tarball.</summary>
/// <param name="Integrity">Subresource-integrity string, "sha512-" + the Base64 SHA-512 of the .tgz.</param>
public sealed record FhirPackage(string Name, string Version, string Integrity)
{
    /// <summary>Where an npm registry serves the tarball: <c>{registry}/{name}/-/{basename}-{version}.tgz</c>.</summary>
    public Uri TarballUrl(Uri registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var baseName = Name[(Name.LastIndexOf('/') + 1)..];
        var root = registry.AbsoluteUri.EndsWith('/') ? registry : new Uri(registry.AbsoluteUri + "/");
        return new Uri(root, $"{Name}/-/{baseName}-{Version}.tgz");
    }

    /// <summary>"name@version".</summary>
    public override string ToString() => $"{Name}@{Version}";
}
