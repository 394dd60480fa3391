using System.Net;
using Weft.Samples.Echo;

namespace Weft.Echo.Tests;

public sealed class EchoCommandLineTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Defaults_match_the_documented_contract()
    {
        var options = EchoCommandLine.Parse([], Environment()).Options;

        Assert.Equal(IPAddress.Loopback, options.Address);
        Assert.Equal(3000, options.Port);
        Assert.Null(options.H2cPort);
        Assert.Null(options.Https);
        Assert.Equal("", options.Pod);
        Assert.Equal("", options.Namespace);
        Assert.Equal("", options.Service);
        Assert.Equal("", options.Ingress);
    }

    [Fact]
    public void Identity_and_ports_fall_back_to_echo_basic_variables()
    {
        var options = EchoCommandLine.Parse([], Environment(
            ("POD_NAME", "p"), ("NAMESPACE", "ns"), ("SERVICE_NAME", "svc"), ("INGRESS_NAME", "in"),
            ("HTTP_PORT", "8080"), ("H2C_PORT", "3001"))).Options;

        Assert.Equal(("p", "ns", "svc", "in"), (options.Pod, options.Namespace, options.Service, options.Ingress));
        Assert.Equal(8080, options.Port);
        Assert.Equal(3001, options.H2cPort);
    }

    [Fact]
    public void Options_override_the_environment_and_port_beats_http_port()
    {
        var options = EchoCommandLine.Parse(
            ["--pod", "cli-pod", "--namespace=cli-ns", "--service", "cli-svc", "--port", "0", "--address", "::1"],
            Environment(("POD_NAME", "env-pod"), ("NAMESPACE", "env-ns"), ("PORT", "9000"), ("HTTP_PORT", "8080"))).Options;

        Assert.Equal("cli-pod", options.Pod);
        Assert.Equal("cli-ns", options.Namespace);
        Assert.Equal("cli-svc", options.Service);
        Assert.Equal(0, options.Port);
        Assert.Equal(IPAddress.IPv6Loopback, options.Address);

        Assert.Equal(9000, EchoCommandLine.Parse([], Environment(("PORT", "9000"), ("HTTP_PORT", "8080"))).Options.Port);
    }

    [Theory]
    [InlineData("--port", "65536", "--port: '65536' is not a port number")]
    [InlineData("--port", "-1", "--port: '-1' is not a port number")]
    [InlineData("--address", "localhost", "--address: 'localhost' is not an IP address")]
    [InlineData("--tls-cert", "a.pem", "--tls-cert and --tls-key go together")]
    [InlineData("--colour", "red", "unknown option '--colour'")]
    public void Bad_arguments_name_the_option(string option, string value, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => EchoCommandLine.Parse([option, value], Environment()));
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_value_is_refused() =>
        Assert.Throws<ArgumentException>(() => EchoCommandLine.Parse(["--pod"], Environment()));

    [Fact]
    public void Grpc_mode_is_selected_by_the_variable_or_the_option()
    {
        Assert.True(EchoCommandLine.Parse([], Environment(("GRPC_ECHO_SERVER", "1"))).Options.Grpc);
        Assert.True(EchoCommandLine.Parse(["--grpc", "--pod", "p"], Environment()).Options.Grpc);
        Assert.False(EchoCommandLine.Parse([], Environment(("GRPC_ECHO_SERVER", ""))).Options.Grpc);
    }

    [Fact]
    public void Help_is_recognised()
    {
        Assert.True(EchoCommandLine.Parse(["--help"], Environment()).ShowHelp);
        Assert.True(EchoCommandLine.Parse(["-h"], Environment()).ShowHelp);
    }
}
