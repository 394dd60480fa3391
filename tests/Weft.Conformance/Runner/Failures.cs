namespace Weft.Conformance.Runner;

/// <summary>Which part of the test an assertion belongs to; results.md groups failures by it.</summary>
internal enum FailureStage
{
    /// <summary>Weft's API refused a manifest (codec/validation) or an action.</summary>
    Apply,

    /// <summary>A status check (conditions, addresses, listeners, observedGeneration).</summary>
    Status,

    /// <summary>A traffic case (the proxy's behaviour).</summary>
    Traffic,

    /// <summary>Something the runner itself cannot do (not a Weft finding).</summary>
    Runner,
}

/// <summary>A failed conformance assertion: where, and exactly what was expected and seen.</summary>
internal sealed class ConformanceFailure(FailureStage stage, string message) : Exception(message)
{
    public FailureStage Stage { get; } = stage;
}
