using System.Reflection;

namespace Weft.Ir;

/// <summary>The version every Weft component reports (control plane, proxy, CLI).</summary>
public static class WeftVersion
{
    public static string Current { get; } =
        typeof(WeftVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
