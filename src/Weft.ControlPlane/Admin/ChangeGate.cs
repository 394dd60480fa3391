namespace Weft.ControlPlane.Admin;

/// <summary>Bounds the applies and deletes in progress (see <see cref="ApiLimits.MaxConcurrentChanges"/>).</summary>
internal sealed class ChangeGate(ApiLimits limits) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(limits.MaxConcurrentChanges, limits.MaxConcurrentChanges);

    public ApiLimits Limits => limits;

    /// <summary>Changes holding a slot now (tests wait on it).</summary>
    public int InUse => limits.MaxConcurrentChanges - _slots.CurrentCount;

    /// <summary>A slot, or null when none freed up within <see cref="ApiLimits.QueueWait"/>.</summary>
    public async Task<IDisposable?> EnterAsync(CancellationToken ct) =>
        await _slots.WaitAsync(limits.QueueWait, ct).ConfigureAwait(false) ? new Slot(_slots) : null;

    public void Dispose() => _slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
