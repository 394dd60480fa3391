namespace Weft.Samples.Echo;

/// <summary>echo-basic's error body, e.g. for an unparsable <c>delay</c>: <c>{"message":"…"}</c>.</summary>
public sealed record EchoError(string Message);
