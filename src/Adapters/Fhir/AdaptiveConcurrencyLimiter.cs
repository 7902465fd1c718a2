using System.Diagnostics.CodeAnalysis;
using System.Threading.RateLimiting;

namespace PrecisionMed.Adapters.Fhir;

/// <summary>
/// A concurrency limiter whose limit follows the FHIR service's answers (additive increase, multiplicative
/// decrease, as TCP does): a 429 halves the limit, each success regains 1/limit of a permit, so a full
/// round of successes regains one. 429s from requests sent before the last halving are not counted again:
/// a burst of throttled answers to one round of requests is one signal, not a collapse to a single permit.
/// Used through Polly's rate limiter strategy, one permit per attempt.
/// </summary>
internal sealed class AdaptiveConcurrencyLimiter : RateLimiter
{
    private readonly Lock _gate = new();
    private readonly LinkedList<Waiter> _queue = new();
    private readonly int _maxLimit;
    private readonly int _queueLimit;
    private readonly TimeProvider _clock;
    private double _limit;
    private int _inFlight;
    private long _generation;
    private long _idleSince;
    private long _failedLeases;
    private long _successfulLeases;
    private bool _disposed;

    public AdaptiveConcurrencyLimiter(int maxLimit, int queueLimit, TimeProvider clock)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLimit, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(queueLimit);
        _maxLimit = maxLimit;
        _queueLimit = queueLimit;
        _clock = clock;
        _limit = maxLimit;
        _idleSince = clock.GetTimestamp();
    }

    /// <summary>The permits there are now (between 1 and the configured maximum).</summary>
    public int CurrentLimit
    {
        get
        {
            lock (_gate) return Permits;
        }
    }

    /// <summary>Changes at each halving: read it when a request is sent, hand it back with the answer.</summary>
    public long Generation
    {
        get
        {
            lock (_gate) return _generation;
        }
    }

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate) return _inFlight > 0 ? null : _clock.GetElapsedTime(_idleSince);
        }
    }

    private int Permits => Math.Max(1, (int)_limit);

    /// <summary>The service answered 429 to a request sent in <paramref name="sentInGeneration"/>.</summary>
    public void Throttled(long sentInGeneration)
    {
        lock (_gate)
        {
            if (sentInGeneration != _generation) return;
            _limit = Math.Max(1, Math.Floor(_limit / 2));
            _generation++;
        }
    }

    /// <summary>The service answered without throttling.</summary>
    public void Succeeded()
    {
        lock (_gate)
        {
            if (_limit >= _maxLimit) return;
            _limit = Math.Min(_maxLimit, _limit + (1 / _limit));
            GrantWaiters();
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = Math.Max(0, Permits - _inFlight),
                CurrentQueuedCount = _queue.Count,
                TotalFailedLeases = _failedLeases,
                TotalSuccessfulLeases = _successfulLeases,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return TryTake(permitCount, out var lease) ? lease : Failed();
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_queue.Count == 0 && TryTake(permitCount, out var lease)) return ValueTask.FromResult(lease);
            if (_queue.Count >= _queueLimit) return ValueTask.FromResult(Failed());
            waiter = new Waiter(permitCount);
            waiter.Node = _queue.AddLast(waiter);
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.Register(() =>
            {
                lock (_gate)
                {
                    if (waiter.Node?.List is not null) _queue.Remove(waiter.Node);
                }

                waiter.Completion.TrySetCanceled(cancellationToken);
            });
        }

        return new ValueTask<RateLimitLease>(waiter.Completion.Task);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        List<Waiter> waiting;
        lock (_gate)
        {
            _disposed = true;
            waiting = [.. _queue];
            _queue.Clear();
        }

        foreach (var waiter in waiting) waiter.Completion.TrySetException(new ObjectDisposedException(nameof(AdaptiveConcurrencyLimiter)));
    }

    private bool TryTake(int permitCount, [NotNullWhen(true)] out RateLimitLease? lease)
    {
        // A request for 0 permits asks whether any are free; more than the maximum can never be granted.
        lease = null;
        if (permitCount > _maxLimit || _inFlight + permitCount > Permits) return false;
        _inFlight += permitCount;
        _successfulLeases++;
        lease = new Lease(this, permitCount);
        return true;
    }

    private RateLimitLease Failed()
    {
        _failedLeases++;
        return Lease.NotAcquired;
    }

    private void Release(int permitCount)
    {
        lock (_gate)
        {
            _inFlight -= permitCount;
            if (_inFlight == 0) _idleSince = _clock.GetTimestamp();
            GrantWaiters();
        }
    }

    /// <summary>First come, first served; called under the lock.</summary>
    private void GrantWaiters()
    {
        while (_queue.First is { } first && TryTake(first.Value.PermitCount, out var lease))
        {
            _queue.RemoveFirst();
            first.Value.Registration.Unregister(); // not Dispose: it would wait for a running callback, which waits for this lock
            if (!first.Value.Completion.TrySetResult(lease)) _inFlight -= first.Value.PermitCount; // failed meanwhile: nobody holds it
        }
    }

    private sealed class Waiter(int permitCount)
    {
        public int PermitCount { get; } = permitCount;

        public TaskCompletionSource<RateLimitLease> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }
    }

    private sealed class Lease(AdaptiveConcurrencyLimiter? limiter, int permitCount) : RateLimitLease
    {
        public static readonly RateLimitLease NotAcquired = new Lease(null, 0);

        private int _released;

        public override bool IsAcquired => limiter is not null;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (limiter is not null && Interlocked.Exchange(ref _released, 1) == 0) limiter.Release(permitCount);
        }
    }
}
