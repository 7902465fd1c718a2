namespace PrecisionMed.Core.Tests.Fakes;

/// <summary>A clock that always says the same time, so ledger records and reports compare exactly.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public static readonly DateTimeOffset DefaultNow = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);

    public FixedTimeProvider()
        : this(DefaultNow)
    {
    }

    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Moves the clock on (it never moves by itself).</summary>
    public void Advance(TimeSpan by) => _now += by;
}
