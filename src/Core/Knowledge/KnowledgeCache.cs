namespace PrecisionMed.Core.Knowledge;

/// <summary>
/// A bounded least-recently-used cache of documents by id, absences included (an unknown variant asked about again
/// must not cost another read). One lock: the work under it is a dictionary and a linked-list operation.
/// </summary>
internal sealed class KnowledgeCache(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<(string Id, KnowledgeDocument? Document)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Id, KnowledgeDocument? Document)> _recency = new();
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock) return _entries.Count;
        }
    }

    public bool TryGet(string id, out KnowledgeDocument? document)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(id, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                document = node.Value.Document;
                return true;
            }
        }

        document = null;
        return false;
    }

    public void Set(string id, KnowledgeDocument? document)
    {
        if (capacity <= 0) return;
        lock (_lock)
        {
            if (_entries.Remove(id, out var existing)) _recency.Remove(existing);
            _entries[id] = _recency.AddFirst((id, document));
            while (_entries.Count > capacity)
            {
                var last = _recency.Last!;
                _recency.RemoveLast();
                _entries.Remove(last.Value.Id);
            }
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
            _recency.Clear();
        }
    }
}
