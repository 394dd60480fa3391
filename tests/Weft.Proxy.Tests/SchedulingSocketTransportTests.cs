using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Weft.Proxy.Listeners;

namespace Weft.Proxy.Tests;

/// <summary>
/// The cleartext transport that schedules HTTP/1.1 connections inline and h2c connections queued:
/// real sockets, the peeked bytes still there for Kestrel, silent clients never in the way.
/// </summary>
public sealed class SchedulingSocketTransportTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static async Task<IConnectionListener> BindAsync() =>
        await new SchedulingSocketTransport(NullLoggerFactory.Instance).BindAsync(new IPEndPoint(IPAddress.Loopback, 0));

    private static async Task<Socket> ConnectAsync(IConnectionListener listener)
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.EndPoint);
        return client;
    }

    private static async Task<string> ReadAtLeastAsync(ConnectionContext connection, int length)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        var result = await connection.Transport.Input.ReadAtLeastAsync(length, timeout.Token);
        var text = Encoding.ASCII.GetString(result.Buffer.ToArray());
        connection.Transport.Input.AdvanceTo(result.Buffer.End);
        return text;
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\r\n", true)]
    [InlineData("POST /x HTTP/1.1\r\nHost: a\r\n\r\n", true)]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", false)]
    public async Task Each_connection_is_scheduled_by_its_first_bytes_which_stay_unread(string first, bool inline)
    {
        await using var listener = await BindAsync();
        using var client = await ConnectAsync(listener);
        await client.SendAsync(Encoding.ASCII.GetBytes(first));

        using var timeout = new CancellationTokenSource(Deadline);
        await using var connection = (await listener.AcceptAsync(timeout.Token))!;

        Assert.Equal(inline, connection.Features.Get<ConnectionScheduling>()!.RunsInline);
        Assert.Equal(first, await ReadAtLeastAsync(connection, first.Length));
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\r\n", true)]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", false)]
    public async Task First_bytes_that_come_after_the_accept_are_waited_for(string first, bool inline)
    {
        await using var listener = await BindAsync();
        using var client = await ConnectAsync(listener);
        using var timeout = new CancellationTokenSource(Deadline);
        var accepting = listener.AcceptAsync(timeout.Token).AsTask();

        // Nothing is handed to Kestrel before the client speaks (the accept and the peek are not
        // waited on here: a connection is surfaced only once classified, whenever that happens).
        await Task.Delay(TimeSpan.FromMilliseconds(200), timeout.Token);
        Assert.False(accepting.IsCompleted);
        await client.SendAsync(Encoding.ASCII.GetBytes(first));

        await using var connection = (await accepting)!;
        Assert.Equal(inline, connection.Features.Get<ConnectionScheduling>()!.RunsInline);
        Assert.Equal(first, await ReadAtLeastAsync(connection, first.Length));
    }

    [Fact]
    public async Task A_silent_client_does_not_hold_up_the_next_and_one_that_leaves_is_never_accepted()
    {
        await using var listener = await BindAsync();
        using var silent = await ConnectAsync(listener);
        using (var leaving = await ConnectAsync(listener))
        {
            leaving.Shutdown(SocketShutdown.Both);
        }

        using var talking = await ConnectAsync(listener);
        await talking.SendAsync("GET / HTTP/1.1\r\n\r\n"u8.ToArray());

        using var timeout = new CancellationTokenSource(Deadline);
        await using var connection = (await listener.AcceptAsync(timeout.Token))!;
        Assert.Equal("GET / HTTP/1.1\r\n\r\n", await ReadAtLeastAsync(connection, 18));
        Assert.Equal(((IPEndPoint)talking.LocalEndPoint!).Port, ((IPEndPoint)connection.RemoteEndPoint!).Port);
    }

    [Fact]
    public async Task Unbinding_ends_accepting_and_frees_the_port()
    {
        var listener = await BindAsync();
        var port = ((IPEndPoint)listener.EndPoint).Port;
        var accepting = listener.AcceptAsync().AsTask();

        await listener.UnbindAsync();
        Assert.Null(await accepting.WaitAsync(Deadline));
        await listener.DisposeAsync();

        using var again = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        again.Bind(new IPEndPoint(IPAddress.Loopback, port));
    }

    [Fact]
    public async Task A_port_in_use_fails_the_bind_as_Kestrel_expects()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();

        await Assert.ThrowsAsync<AddressInUseException>(async () =>
            await new SchedulingSocketTransport(NullLoggerFactory.Instance).BindAsync(taken.LocalEndPoint!));
    }

    [Fact]
    public async Task Kestrel_serves_http1_and_prior_knowledge_h2c_on_one_port_through_it()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Logging.ClearProviders();
        builder.Services.RemoveAll<IConnectionListenerFactory>();
        builder.Services.AddSingleton<IConnectionListenerFactory, SchedulingSocketTransport>();
        var port = FreePort.Next();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AllowAlternateSchemes = true;
            kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.Use(H2cPriorKnowledge.Use);
            });
        });
        await using var app = builder.Build();
        app.Run(context => context.Response.WriteAsync(context.Request.Protocol));
        await app.StartAsync();

        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Deadline };
        foreach (var version in new[] { HttpVersion.Version11, HttpVersion.Version20 })
        {
            for (var i = 0; i < 3; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/") { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
                using var response = await client.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(version == HttpVersion.Version20 ? "HTTP/2" : "HTTP/1.1", await response.Content.ReadAsStringAsync());
            }
        }

        await app.StopAsync();
    }
}
