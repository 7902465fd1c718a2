using System.ComponentModel.DataAnnotations;

namespace PrecisionMed.Core.Cds;

/// <summary>The CDS Hooks services' settings (section <c>Cds</c>).</summary>
public sealed class CdsOptions
{
    public const string SectionName = "Cds";

    /// <summary>
    /// The EHRs whose JWTs are accepted: <c>issuer|jwks-url</c> pairs separated by <c>;</c> (one app setting, as Bicep
    /// writes it). A token's <c>jku</c> is followed only when it is its issuer's JWKS URL here.
    /// </summary>
    public string TrustedIssuers { get; set; } = string.Empty;

    /// <summary>The service URL tokens' <c>aud</c> must name, when the app is reached through a proxy; else the request's own URL.</summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>How far a token's <c>iat</c> may lie in the future, and <c>exp</c> in the past (clock skew).</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest a token may live (<c>exp</c> - <c>iat</c>); the spec asks EHRs for 5 minutes at most.</summary>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long one read of the EHR's FHIR server (or the app's FHIR service) may take within a CDS call; past it the call
    /// is answered 412 saying which server did not answer in time, as CDS Hooks answers a service that cannot get the FHIR
    /// data it needs. A hook call sits in a clinician's click path: the EHR's own wait for the answer is seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan FhirTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether a drug with a CPIC guideline and no result for its genes gets CPIC's pre-test card.</summary>
    public bool PreTestCards { get; set; } = true;

    /// <summary>Drugs (CPIC's names, <c>;</c>-separated) that never get a pre-test card.</summary>
    public string PreTestOffDrugs { get; set; } = string.Empty;

    /// <summary>Where a clinician opens a report (<c>{base}/DiagnosticReport/id</c>): the cards' links. None when unset.</summary>
    public Uri? ReportLinkBase { get; set; }

    /// <summary>An earlier germline result older than this is not held against a new order (0: any age).</summary>
    public int GovernanceLookbackYears { get; set; }

    public bool PreTestOff(string drug) =>
        !PreTestCards || PreTestOffDrugs.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Contains(drug, StringComparer.OrdinalIgnoreCase);
}
