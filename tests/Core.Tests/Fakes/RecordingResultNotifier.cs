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
}
