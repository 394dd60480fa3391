namespace Weft.E2E.Tests.Infrastructure;

/// <summary>Waits on a condition with a deadline, polling; fails with the last observation, never sleeps blindly.</summary>
internal static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> observe, Func<T, bool> done, TimeSpan timeout, string what, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last = default!;
        Exception? lastError = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = await observe();
                lastError = null;
                if (done(last))
                {
                    return last;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or InvalidOperationException)
            {
                lastError = e;
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(50));
        }

        throw new TimeoutException($"timed out after {timeout.TotalSeconds:0.#}s waiting for {what}; last: {(lastError is not null ? lastError.Message : last?.ToString())}");
    }
}
