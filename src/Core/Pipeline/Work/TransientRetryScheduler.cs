using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PrecisionMed.Core.LabReports;
using PrecisionMed.Core.Pipeline.Ledger;

namespace PrecisionMed.Core.Pipeline.Work;

/// <summary>
/// Puts back a unit whose FHIR writes failed transiently: its work item goes on the queue again, invisible for a growing
/// delay (<see cref="TransientRetryDelay"/>), numbered one past the message being handled, and the unit is recorded
/// <see cref="UnitState.Waiting"/> with that number and the time of the next attempt. The message being handled then
/// completes normally, so a long outage never exhausts the queue's dequeue count; only past
/// <see cref="PipelineOptions.TransientRetryBudget"/> is the unit Failed, kept for replay as a poisoned one is.
/// </summary>
public sealed class TransientRetryScheduler(
    IWorkItemQueue queue,
    ILabFileLedger ledger,
    PoisonWorkHandler poison,
    IOptions<PipelineOptions> options,
    TimeProvider clock,
    ILogger<TransientRetryScheduler> logger)
{
    /// <summary>Defers (or, past the budget, fails) the unit <paramref name="claimed"/> by this delivery of <paramref name="item"/>.</summary>
    public async Task<WorkOutcome> DeferAsync(WorkItem item, LedgerUnit claimed, FhirTransientException failure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(claimed);
        ArgumentNullException.ThrowIfNull(failure);
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var since = item.FailingSince ?? now;
        var reason = ReasonOf(failure);
        var budgetLeft = since + settings.TransientRetryBudget - now;
        if (budgetLeft <= TimeSpan.Zero)
        {
            PipelineLog.RetryBudgetExhausted(logger, item.UnitIndex, item.FileId, reason, item.CorrelationId);
            var attempts = item.Attempt + 1;
            var problem = new LabFileProblem(SourcePosition.None, string.Create(CultureInfo.InvariantCulture,
                $"{reason} on every attempt for longer than the retry budget (Pipeline:TransientRetryBudget {settings.TransientRetryBudget}): "
                + $"{attempts} attempt(s) since {since.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z. Correlation id {item.CorrelationId}; replay once the service is back"));
            return await poison.FailAsync(item, claimed, problem, $"Failed: {reason} past the retry budget, {attempts} attempt(s)", cancellationToken);
        }

        var delay = TransientRetryDelay.For(item.Attempt + 1, settings.TransientRetryBaseDelay, settings.TransientRetryMaxDelay, Random.Shared.NextDouble());
        if (delay > budgetLeft) delay = budgetLeft; // one last attempt as the budget ends
        var next = item with { Attempt = item.Attempt + 1, FailingSince = since };

        // Queued before the ledger says so: should this stop in between, the unit stays claimed by attempt N and the new
        // message, numbered N + 1, takes it over (see ReportWorkHandler); the other order could leave a Waiting unit
        // whose message was never sent.
        await queue.EnqueueAsync(next, delay, cancellationToken);
        try
        {
            // One event a run of failures, not one an attempt: the record stays small through a day of retries.
            await ledger.SaveUnitAsync(
                claimed.Wait(reason, next.Attempt, now + delay, now, again: item.FailingSince is not null) with { FailingSince = since },
                cancellationToken);
        }
        catch (LedgerConflictException)
        {
            // The claim lapsed and another delivery took the unit: the message just queued is newer, so it still gets its turn.
            PipelineLog.UnitClaimedElsewhere(logger, item.UnitIndex, item.FileId);
            return WorkOutcome.InProgress;
        }

        PipelineLog.UnitWaiting(logger, item.UnitIndex, item.FileId, reason, next.Attempt, delay.TotalSeconds, (now - since).TotalSeconds);
        return WorkOutcome.Waiting;
    }

    /// <summary>The category of the failure, for the ledger and logs: the service and the HTTP status, never the server's text.</summary>
    public static string ReasonOf(FhirTransientException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        // A refusal that keeps coming (e.g. 412s to a conditional create that a race will settle) carries its status inside.
        var status = failure.StatusCode ?? (failure.InnerException as FhirRejectedException)?.StatusCode;
        return status is { } code ? $"the FHIR service answered HTTP {code}" : "the FHIR service could not be reached";
    }
}
