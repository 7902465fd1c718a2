namespace PrecisionMed.Core.Cds;

/// <summary>
/// The CDS Hooks 2.0.1 rules a card must keep (summary length, indicator values, a source label, selectionBehavior
/// with suggestions, action types and what each needs): checked on every card before it leaves the service, and by
/// the conformance tests. Each breach is named.
/// </summary>
public static class CdsCardRules
{
    private static readonly HashSet<string> Indicators = new([CdsCard.Info, CdsCard.Warning, CdsCard.Critical], StringComparer.Ordinal);
    private static readonly HashSet<string> SelectionBehaviors = new([CdsCard.AtMostOne, "any"], StringComparer.Ordinal);
    private static readonly HashSet<string> ActionTypes = new(["create", "update", "delete"], StringComparer.Ordinal);

    public static IReadOnlyList<string> Breaches(CdsCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        var breaches = new List<string>();
        if (string.IsNullOrWhiteSpace(card.Summary)) breaches.Add("summary is required");
        else if (card.Summary.Length >= CdsCard.MaxSummaryLength) breaches.Add($"summary is {card.Summary.Length} characters; it must be under {CdsCard.MaxSummaryLength}");
        if (!Indicators.Contains(card.Indicator)) breaches.Add($"indicator '{card.Indicator}' is not info, warning or critical");
        if (string.IsNullOrWhiteSpace(card.Source?.Label)) breaches.Add("source.label is required");
        if (!Guid.TryParse(card.Uuid, out _)) breaches.Add("uuid must be a UUID (feedback names the card by it)");
        if (card.Suggestions is { Count: > 0 } suggestions)
        {
            if (card.SelectionBehavior is null || !SelectionBehaviors.Contains(card.SelectionBehavior))
                breaches.Add("selectionBehavior (at-most-one or any) is required with suggestions");
            foreach (var suggestion in suggestions)
            {
                if (string.IsNullOrWhiteSpace(suggestion.Label)) breaches.Add("suggestion.label is required");
                if (!Guid.TryParse(suggestion.Uuid, out _)) breaches.Add("suggestion.uuid must be a UUID");
                foreach (var action in suggestion.Actions)
                {
                    if (!ActionTypes.Contains(action.Type)) breaches.Add($"action type '{action.Type}' is not create, update or delete");
                    if (string.IsNullOrWhiteSpace(action.Description)) breaches.Add("action.description is required");
                    if (action.Type == "delete" && string.IsNullOrWhiteSpace(action.ResourceId)) breaches.Add("a delete action names its resourceId");
                    if (action.Type is "create" or "update" && action.Resource is null) breaches.Add($"a {action.Type} action carries its resource");
                }
            }
        }
        else if (card.SelectionBehavior is not null)
        {
            breaches.Add("selectionBehavior without suggestions");
        }

        foreach (var reason in card.OverrideReasons ?? [])
        {
            if (string.IsNullOrWhiteSpace(reason.Code) || string.IsNullOrWhiteSpace(reason.Display)) breaches.Add("an override reason needs its code and display");
        }

        foreach (var link in card.Links ?? [])
        {
            if (link.Type is not ("absolute" or "smart")) breaches.Add($"link type '{link.Type}' is not absolute or smart");
            if (!Uri.TryCreate(link.Url, UriKind.Absolute, out _)) breaches.Add("a link's url must be absolute");
        }

        return breaches;
    }
}
