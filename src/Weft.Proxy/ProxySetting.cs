namespace Weft.Proxy;

/// <summary>
/// One request-path setting of the proxy as a host offers it: a command-line flag and a
/// <c>WEFT_PROXY_*</c> environment variable with the same meaning. `weft up`, `weft proxy` (System.CommandLine)
/// and `weft-proxy` (its hand-written parser) all build their options from <see cref="GatewayProxyOptions.Settings"/>,
/// so the three accept the same flags, spell them alike and report bad values alike.
/// </summary>
/// <param name="flag">The flag, e.g. <c>--drain-timeout</c>.</param>
/// <param name="variable">The environment variable, e.g. <c>WEFT_PROXY_DRAIN_TIMEOUT</c>.</param>
/// <param name="value">What the flag's value is, for help (e.g. <c>DURATION</c>); for a switch, <c>[BOOL]</c>.</param>
/// <param name="isSwitch">A boolean: the flag alone means true, and it may be given a value (<c>--merge-slashes=false</c>).</param>
/// <param name="help">One line for --help, ending with the default.</param>
/// <param name="apply">Sets the value on the options; throws <see cref="FormatException"/> naming the flag or variable it is given.</param>
public sealed class ProxySetting(string flag, string variable, string value, bool isSwitch, string help, Func<GatewayProxyOptions, string, string, GatewayProxyOptions> apply)
{
    public string Flag { get; } = flag;
    public string Variable { get; } = variable;
    public string Value { get; } = value;
    public bool IsSwitch { get; } = isSwitch;
    public string Help { get; } = help;

    internal GatewayProxyOptions Apply(GatewayProxyOptions options, string name, string text) => apply(options, name, text);
}
