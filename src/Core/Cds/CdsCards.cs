namespace PrecisionMed.Core.Cds;

/// <summary>A CDS Hooks 2.0 response: the cards, none when nothing applies (<c>{"cards": []}</c>).</summary>
public sealed record CdsResponse(IReadOnlyList<CdsCard> Cards);

/// <summary>
/// One CDS Hooks 2.0 card. The spec's rules, which <see cref="CdsCardRules"/> checks: <see cref="Summary"/> under 140
/// characters, <see cref="Indicator"/> one of info, warning, critical, <see cref="Source"/> with a label, and
/// <see cref="SelectionBehavior"/> stated whenever there are suggestions. The <see cref="Uuid"/> is what feedback names.
/// </summary>
/// <param name="Detail">GitHub-flavoured Markdown.</param>
public sealed record CdsCard(
    string Uuid,
    string Summary,
    string Indicator,
    CdsSource Source,
    string? Detail = null,
    IReadOnlyList<CdsSuggestion>? Suggestions = null,
    string? SelectionBehavior = null,
    IReadOnlyList<CdsCoding>? OverrideReasons = null,
    IReadOnlyList<CdsLink>? Links = null)
{
    public const int MaxSummaryLength = 140;
    public const string Info = "info";
    public const string Warning = "warning";
    public const string Critical = "critical";
    public const string AtMostOne = "at-most-one";
}

/// <param name="Topic">What the card is about, for the EHR's analytics and our feedback counts.</param>
public sealed record CdsSource(string Label, string? Url = null, CdsCoding? Topic = null);

public sealed record CdsCoding(string Code, string? System = null, string? Display = null);

public sealed record CdsSuggestion(string Label, string Uuid, IReadOnlyList<CdsAction> Actions, bool? IsRecommended = null);

/// <param name="Type">create, update or delete.</param>
/// <param name="ResourceId">For delete: the relative reference of the draft order (<c>MedicationRequest/id</c>).</param>
public sealed record CdsAction(string Type, string Description, string? ResourceId = null, System.Text.Json.Nodes.JsonObject? Resource = null);

/// <param name="Type">absolute (a web page) or smart (a SMART app).</param>
public sealed record CdsLink(string Label, string Url, string Type = "absolute");
