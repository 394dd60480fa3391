using Microsoft.Extensions.DependencyInjection;

namespace Weft.Bookinfo;

/// <summary>The outbound HttpClient every service uses for its downstream calls, through IHttpClientFactory.</summary>
internal static class OutboundHttp
{
    public static IHttpClientBuilder AddOutboundHttpClient(this IServiceCollection services, string name) =>
        services.AddHttpClient(name)
            // Per-call deadlines are set by the callers (each upstream call has its own timeout).
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // UseProxy stays at its default (true, no explicit Proxy): the handler then honours HTTP_PROXY /
                // http_proxy / NO_PROXY, which is how Weft's local mesh mode makes http://reviews:9080 resolve.
                //
                // No cookie jar: the inbound Cookie header is propagated as is, and one user's Set-Cookie from an
                // upstream must never reach another user's call.
                UseCookies = false,
                // A connection per call, as upstream (python-requests / a fresh JAX-RS client per call): with
                // plain Kubernetes Services (L4) pooled connections would pin every call to one reviews version.
                PooledConnectionLifetime = TimeSpan.Zero,
            })
            // No retries, no resilience handlers: upstream's own attempts only.
            .SetHandlerLifetime(TimeSpan.FromMinutes(2));
}
