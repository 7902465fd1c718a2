using System.Globalization;
using System.Text.Json.Nodes;
using PrecisionMed.Core.LabReports;

namespace PrecisionMed.Core.Cds.Feedback;

/// <summary>
/// One card's outcome as stored: the service, the card's UUID and kind, accepted or overridden and the override
/// reason's code, and when. No PHI: no patient, user or free-text comment is kept (a comment can name anyone).
/// </summary>
public sealed record CdsFeedbackRecord(
    string Service,
    string Card,
    string Kind,
    string Outcome,
    string? OverrideReason,
    int AcceptedSuggestions,
    DateTimeOffset OutcomeTimestamp)
{
    /// <summary>One record per card, outcome and time: a resent feedback overwrites itself (idempotent).</summary>
    public string Id => CdsCardIds.For(CdsCardKind.Unknown, Service, Card, Outcome, OutcomeTimestamp.ToString("O", CultureInfo.InvariantCulture));
}

/// <summary>Feedback counted by service, card kind, outcome and override reason.</summary>
public sealed record CdsFeedbackCount(string Service, string Kind, string Outcome, string? OverrideReason, long Count);

/// <summary>Where feedback is kept (Cosmos DB in the app, in memory for tests).</summary>
public interface ICdsFeedbackStore
{
    Task AddAsync(IReadOnlyList<CdsFeedbackRecord> records, CancellationToken cancellationToken);

    Task<IReadOnlyList<CdsFeedbackCount>> CountAsync(IReadOnlyList<string> services, CancellationToken cancellationToken);
}

/// <summary>Reads a CDS Hooks 2.0 feedback body: <c>{"feedback": [{card, outcome, acceptedSuggestions, overrideReason, outcomeTimestamp}]}</c>.</summary>
public static class CdsFeedbackReader
{
    /// <summary>
    /// The most feedback items one call may carry: each is a store write. A client reports what a clinician did with the
    /// cards of a hook call, a handful; more is refused whole (nothing stored) rather than written in part.
    /// </summary>
    public const int MaxItems = 100;

    public static (IReadOnlyList<CdsFeedbackRecord>? Records, string? Error) Read(ReadOnlySpan<byte> body, string service)
    {
        if (StrictJson.ParseObject(body, out var problem) is not { } root) return (null, $"the body must be {{\"feedback\": [...]}} with at least one item; this one {problem}");
        if (root["feedback"] is not JsonArray items || items.Count == 0) return (null, "the body must be {\"feedback\": [...]} with at least one item");
        if (items.Count > MaxItems) return (null, $"feedback holds at most {MaxItems} items a call; send the rest in further calls");
        var records = new List<CdsFeedbackRecord>();
        foreach (var item in items)
        {
            if (item is not JsonObject feedback) return (null, "each feedback item must be an object");
            if (CdsHookRequest.Text(feedback["card"]) is not { } card || !Guid.TryParse(card, out _)) return (null, "feedback.card must be the card's uuid");
            var outcome = CdsHookRequest.Text(feedback["outcome"]);
            if (outcome is not ("accepted" or "overridden")) return (null, "feedback.outcome must be accepted or overridden");
            // An instant as FHIR writes one (ISO 8601 with seconds and a zone): DateTimeOffset alone would take "12/06/2026" and a time without a zone.
            if (CdsHookRequest.Text(feedback["outcomeTimestamp"]) is not { } stamp || !FhirDateTimes.IsInstant(stamp)
                || !DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.None, out var when))
                return (null, "feedback.outcomeTimestamp must be an ISO 8601 instant with seconds and its zone, e.g. 2026-12-06T09:30:00Z");
            var accepted = feedback["acceptedSuggestions"] as JsonArray ?? [];
            if (outcome == "accepted" && accepted.Any(s => CdsHookRequest.Text(CdsHookRequest.Member(s, "id")) is null)) return (null, "each acceptedSuggestions item needs its id");
            string? reason = null;
            if (outcome == "overridden" && feedback["overrideReason"] is JsonObject overrideReason)
            {
                // A code is kept only when it looks like one: an EHR that puts free text here must not get it stored.
                reason = CdsHookRequest.Text(CdsHookRequest.Member(overrideReason["reason"], "code")) is { } code
                    && code.Length <= 64 && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') ? code : "other";
            }

            records.Add(new CdsFeedbackRecord(service, card, Pgx.PgxCardWriter.KindCode(CdsCardIds.KindOf(card)), outcome, reason, accepted.Count, when.ToUniversalTime()));
        }

        return (records, null);
    }
}

/// <summary>Feedback in memory: tests, and <c>pmed serve</c> without Cosmos DB.</summary>
public sealed class InMemoryCdsFeedbackStore : ICdsFeedbackStore
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, CdsFeedbackRecord> _records = new(StringComparer.Ordinal);

    public Task AddAsync(IReadOnlyList<CdsFeedbackRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records) _records[record.Id] = record;
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CdsFeedbackCount>> CountAsync(IReadOnlyList<string> services, CancellationToken cancellationToken) =>
        Task.FromResult(Count(_records.Values.Where(r => services.Contains(r.Service))));

    /// <summary>The counts of records, in a stable order.</summary>
    public static IReadOnlyList<CdsFeedbackCount> Count(IEnumerable<CdsFeedbackRecord> records) =>
    [
        .. records.GroupBy(r => (r.Service, r.Kind, r.Outcome, r.OverrideReason))
            .Select(g => new CdsFeedbackCount(g.Key.Service, g.Key.Kind, g.Key.Outcome, g.Key.OverrideReason, g.LongCount()))
            .OrderBy(c => c.Service, StringComparer.Ordinal).ThenBy(c => c.Kind, StringComparer.Ordinal)
            .ThenBy(c => c.Outcome, StringComparer.Ordinal).ThenBy(c => c.OverrideReason, StringComparer.Ordinal),
    ];
}
