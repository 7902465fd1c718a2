namespace PrecisionMed.Adapters.Storage;

/// <summary>
/// Creates a resource (a queue, a blob container) for every caller at once: a caller that comes while the creation
/// is under way waits for that same creation rather than going ahead and finding nothing there, and a creation that
/// failed or was cancelled is tried again by the next caller instead of being remembered for the life of the app.
/// </summary>
internal sealed class CreateOnce(Func<Task> create)
{
    private readonly Lock _gate = new();
    private Task? _creation;

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        Task creation;
        lock (_gate)
        {
            if (_creation is null || _creation.IsFaulted || _creation.IsCanceled) _creation = create();
            creation = _creation;
        }

        // One caller giving up does not cancel the creation the others wait for.
        return creation.WaitAsync(cancellationToken);
    }
}
