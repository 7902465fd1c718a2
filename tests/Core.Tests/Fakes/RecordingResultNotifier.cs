using PrecisionMed.Core.Pipeline.Notifications;

namespace PrecisionMed.Core.Tests.Fakes;

/// <summary>Records each notification, or throws what it was told to.</summary>
internal sealed class RecordingResultNotifier : IResultNotifier
{
    private readonly List<GenomicResultAvailable> _published = [];

    public IReadOnlyList<GenomicResultAvailable> Published => _published;

    public Exception? FailWith { get; set; }

    public Task PublishAsync(GenomicResultAvailable notification, CancellationToken cancellationToken)
    {
        if (FailWith is { } failure) throw failure;
        _published.Add(notification);
        return Task.CompletedTask;
    }

    private readonly List<GenomicResultReinterpreted> _reinterpreted = [];

    public IReadOnlyList<GenomicResultReinterpreted> Reinterpreted => _reinterpreted;

    /// <summary>Fails the next reinterpretation notices when set (fault injection), else records them.</summary>
    public Func<GenomicResultReinterpreted, Exception?>? BeforeReinterpreted { get; set; }

    public Task PublishAsync(GenomicResultReinterpreted notification, CancellationToken cancellationToken)
    {
        if (FailWith is { } failure) throw failure;
        if (BeforeReinterpreted?.Invoke(notification) is { } refusal) throw refusal;
        lock (_reinterpreted) _reinterpreted.Add(notification);
        return Task.CompletedTask;
    }
}
