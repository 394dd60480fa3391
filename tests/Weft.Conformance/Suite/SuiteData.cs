using System.Text.Json.Nodes;

namespace Weft.Conformance.Suite;

/// <summary>One upstream ConformanceTest as transcribed in expectations.json (section 3.2 of FORMAT.md).</summary>
internal sealed record ConformanceTestDef(
    string ShortName,
    int Order,
    string Description,
    IReadOnlyList<string> Features,
    string? Profile,
    string? Level,
    IReadOnlyDictionary<string, string> Profiles,
    bool Provisional,
    string Base,
    IReadOnlyList<string> Manifests,
    JsonObject Raw)
{
    public JsonObject? Gateway => Raw["gateway"] as JsonObject;

    public JsonArray Conditions => Raw["conditions"] as JsonArray ?? [];

    public JsonArray Cases => Raw["cases"] as JsonArray ?? [];

    public JsonArray Phases => Raw["phases"] as JsonArray ?? [];

    public override string ToString() => ShortName;
}

/// <summary>expectations.json, loaded once.</summary>
internal sealed class SuiteData
{
    /// <summary>The profiles this runner reports (the Gateway profiles; mesh needs in-cluster clients).</summary>
    public static readonly IReadOnlyList<string> ReportedProfiles = ["GATEWAY-HTTP", "GATEWAY-GRPC", "GATEWAY-TLS"];

    private static readonly Lazy<SuiteData> s_instance = new(() => Load(SuitePaths.Expectations));

    private SuiteData(JsonObject root)
    {
        Root = root;
        Tests = [.. root["tests"]!.AsArray().Select(n => Parse(n!.AsObject())).OrderBy(t => t.Order)];
        Profiles = root["profiles"]!.AsObject().ToDictionary(
            p => p.Key,
            p => (Core: (IReadOnlyList<string>)[.. p.Value!["core"]!.AsArray().Select(f => f!.GetValue<string>())],
                  Extended: (IReadOnlyList<string>)[.. p.Value!["extended"]!.AsArray().Select(f => f!.GetValue<string>())]));
        Timeouts = new SuiteTimeouts(root["defaults"]!["timeoutsSeconds"]!.AsObject());
        RequiredConsecutiveSuccesses = root["defaults"]!["requiredConsecutiveSuccesses"]!.GetValue<int>();
        GatewayClassName = root["defaults"]!["defaultGatewayClassName"]!.GetValue<string>();
        ControllerNamePlaceholder = root["controllerNamePlaceholder"]!.GetValue<string>();
        Tag = root["source"]!["tag"]!.GetValue<string>();
    }

    public static SuiteData Instance => s_instance.Value;

    public JsonObject Root { get; }

    public IReadOnlyList<ConformanceTestDef> Tests { get; }

    public IReadOnlyDictionary<string, (IReadOnlyList<string> Core, IReadOnlyList<string> Extended)> Profiles { get; }

    public SuiteTimeouts Timeouts { get; }

    public int RequiredConsecutiveSuccesses { get; }

    public string GatewayClassName { get; }

    public string ControllerNamePlaceholder { get; }

    /// <summary>The upstream tag, e.g. v1.4.1.</summary>
    public string Tag { get; }

    public string BaseManifests => Root["baseManifests"]!["gateway"]!.GetValue<string>();

    public JsonArray RuntimeResources => Root["runtimeResources"]!.AsArray();

    public ConformanceTestDef Test(string shortName) =>
        Tests.FirstOrDefault(t => t.ShortName == shortName) ?? throw new ArgumentException($"no conformance test named {shortName}");

    /// <summary>Tests that count in at least one of the reported profiles, in upstream order.</summary>
    public IEnumerable<ConformanceTestDef> ReportedTests =>
        Tests.Where(t => t.Base == "gateway" && t.Profiles.Keys.Any(p => ReportedProfiles.Contains(p)));

    public static SuiteData Load(string path) => new(JsonNode.Parse(File.ReadAllText(path))!.AsObject());

    private static ConformanceTestDef Parse(JsonObject t) => new(
        t["shortName"]!.GetValue<string>(),
        t["order"]!.GetValue<int>(),
        t["description"]?.GetValue<string>() ?? "",
        [.. (t["features"] as JsonArray ?? []).Select(f => f!.GetValue<string>())],
        t["profile"]?.GetValue<string>(),
        t["level"]?.GetValue<string>(),
        (t["profiles"] as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()),
        t["provisional"]?.GetValue<bool>() ?? false,
        t["base"]?.GetValue<string>() ?? "gateway",
        [.. (t["manifests"] as JsonArray ?? []).Select(f => f!.GetValue<string>())],
        t);
}

/// <summary>
/// The upstream timeouts (FORMAT.md section 8), scaled by WEFT_CONFORMANCE_TIMEOUT_SCALE so that
/// a failing test does not hold CI for minutes. Local mode converges in well under a second, so the
/// default (0.25: 7.5 s to consistency, 15 s for route status) still leaves a wide margin.
/// The per-request timeout and the 1 s poll interval are not scaled.
/// </summary>
internal sealed class SuiteTimeouts
{
    public const double DefaultScale = 0.25;

    private readonly JsonObject _seconds;

    public SuiteTimeouts(JsonObject seconds)
    {
        _seconds = seconds;
        var env = Environment.GetEnvironmentVariable("WEFT_CONFORMANCE_TIMEOUT_SCALE");
        Scale = double.TryParse(env, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 ? s : DefaultScale;
    }

    public double Scale { get; }

    public TimeSpan Unscaled(string name) => TimeSpan.FromSeconds(_seconds[name]?.GetValue<double>() ?? throw new ArgumentException("unknown timeout " + name));

    public TimeSpan this[string name] => name == "RequestTimeout" ? Unscaled(name) : Unscaled(name) * Scale;

    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
}
