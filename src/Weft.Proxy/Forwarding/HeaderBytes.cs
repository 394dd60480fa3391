using System.Text;

namespace Weft.Proxy.Forwarding;

/// <summary>
/// Header values with bytes beyond ASCII. Kestrel decodes request header values as strict UTF-8: a
/// value that is not valid UTF-8 is a 400 there, never a replacement character. A valid one must reach
/// the upstream as the same bytes, but SocketsHttpHandler encodes header values as ASCII by default and
/// failed the request (502); encoding them as UTF-8 gives back exactly the bytes the client sent.
/// </summary>
internal static class HeaderBytes
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>For <see cref="System.Net.Http.SocketsHttpHandler.RequestHeaderEncodingSelector"/>.</summary>
    public static Encoding? RequestEncoding(string name, System.Net.Http.HttpRequestMessage request) => StrictUtf8;
}
