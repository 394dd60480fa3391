using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Weft.Bookinfo.ProductPage;

/// <summary>
/// Upstream's Prometheus counter <c>request_result</c> (labels <c>destination_app</c>, <c>response_code</c>),
/// exposed on <c>/metrics</c> as <c>request_result_total</c> and <c>request_result_created</c>.
/// </summary>
internal sealed class RequestMetrics(TimeProvider time)
{
    private readonly ConcurrentDictionary<(string App, int Code), Counter> _counters = new();

    public void Count(string destinationApp, int responseCode) =>
        Interlocked.Increment(ref _counters.GetOrAdd((destinationApp, responseCode), _ => new Counter(time.GetUtcNow())).Value);

    public string Render()
    {
        var all = _counters.OrderBy(c => c.Key.App, StringComparer.Ordinal).ThenBy(c => c.Key.Code).ToList();
        var sb = new StringBuilder()
            .Append("# HELP request_result_total Request Result\n")
            .Append("# TYPE request_result_total counter\n");
        foreach (var ((app, code), counter) in all)
        {
            sb.Append(CultureInfo.InvariantCulture, $"request_result_total{{destination_app=\"{app}\",response_code=\"{code}\"}} {Interlocked.Read(ref counter.Value)}.0\n");
        }

        sb.Append("# HELP request_result_created Request Result\n")
            .Append("# TYPE request_result_created gauge\n");
        foreach (var ((app, code), counter) in all)
        {
            var created = counter.Created.ToUnixTimeMilliseconds() / 1000.0;
            sb.Append(CultureInfo.InvariantCulture, $"request_result_created{{destination_app=\"{app}\",response_code=\"{code}\"}} {created:0.0##}\n");
        }

        return sb.ToString();
    }

    private sealed class Counter(DateTimeOffset created)
    {
        public long Value;

        public DateTimeOffset Created { get; } = created;
    }
}
