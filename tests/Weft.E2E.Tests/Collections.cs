namespace Weft.E2E.Tests;

/// <summary>
/// End-to-end tests run one at a time: each starts real processes and servers, and on a 2-core
/// machine running them side by side would turn timing assertions (the one-second reload) into noise.
/// </summary>
[CollectionDefinition("e2e", DisableParallelization = true)]
public sealed class E2ECollection;
