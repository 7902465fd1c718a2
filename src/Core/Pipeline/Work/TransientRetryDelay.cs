namespace PrecisionMed.Core.Pipeline.Work;

/// <summary>The wait before a unit's next attempt after a transient failure: exponential, capped, with jitter.</summary>
public static class TransientRetryDelay
{
    /// <summary>
    /// Doubles from <paramref name="baseDelay"/> with each attempt up to <paramref name="maxDelay"/>, then keeps a random
    /// share between half and all of it ("equal jitter"): units that failed together spread out instead of all coming
    /// back at once, and no wait falls below half its step.
    /// </summary>
    /// <param name="attempt">The number of the attempt to come: 1 for the first retry.</param>
    /// <param name="baseDelay">The first step.</param>
    /// <param name="maxDelay">The cap on a step.</param>
    /// <param name="jitter">A draw in [0, 1).</param>
    public static TimeSpan For(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, baseDelay);
        if (jitter is < 0 or >= 1 || double.IsNaN(jitter)) throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "A draw in [0, 1) is expected.");

        // Past 2^30 steps every sane cap is reached: stop doubling before the ticks overflow.
        var step = attempt > 31 ? maxDelay : TimeSpan.FromTicks((long)Math.Min(maxDelay.Ticks, baseDelay.Ticks * Math.Pow(2, attempt - 1)));
        return step / 2 + step / 2 * jitter;
    }
}
