namespace PrecisionMed.Testing.Faults;

/// <summary>What the proxy does wrong, and how often.</summary>
/// <param name="Share">The share of requests (0 to 1) that get a fault instead of a plain answer.</param>
/// <param name="Seed">Seeds the draw, so that a run's sequence of decisions is the same every time.</param>
/// <param name="RetryAfterMs">The wait a 429 asks for in <c>x-ms-retry-after-ms</c> (it also says <c>Retry-After: 1</c>, as Azure does).</param>
/// <param name="RejectWrites">Answer every POST (a transaction) with 422 and an OperationOutcome, as a server refusing the content does.</param>
public sealed record FaultPlan(double Share, int Seed = 7, int RetryAfterMs = 20, bool RejectWrites = false)
{
    public static FaultPlan None { get; } = new(0);
}

/// <summary>The faults, drawn with equal chance when a request is to get one.</summary>
public enum FaultKind
{
    /// <summary>429 with <c>Retry-After</c> and <c>x-ms-retry-after-ms</c>; nothing reaches the server.</summary>
    Throttled,

    /// <summary>503; nothing reaches the server.</summary>
    Unavailable,

    /// <summary>The connection is dropped before the request is forwarded.</summary>
    DroppedBeforeForwarding,

    /// <summary>
    /// The request is forwarded and done by the server, then the connection is dropped before the answer: the
    /// client cannot tell it from the one before, and its retry writes again what is already there.
    /// </summary>
    DroppedAfterForwarding,
}
