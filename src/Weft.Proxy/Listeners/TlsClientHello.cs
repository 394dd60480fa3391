using System.Buffers.Binary;

namespace Weft.Proxy.Listeners;

/// <summary>
/// Reads the ALPN offer from a peeked TLS ClientHello (RFC 8446 §4.1.2, RFC 7301 §3.1) without
/// consuming it, so <see cref="SchedulingSocketTransport"/> can schedule a TLS connection before
/// Kestrel's handshake picks the protocol. Only the first record is read: a ClientHello fragmented
/// across records (no mainstream client does that) counts as offering no h2, which only costs the
/// connection its best scheduling. Never throws on malformed input.
/// </summary>
internal static class TlsClientHello
{
    private const byte HandshakeRecord = 22;
    private const byte ClientHelloMessage = 1;
    private const ushort AlpnExtension = 16;
    private const int RecordHeaderLength = 5;

    /// <summary>The most a first record can take: its header and 2^14 bytes of plaintext (RFC 8446 §5.1).</summary>
    public const int MaxRecordLength = RecordHeaderLength + (1 << 14);

    public static FirstBytesVerdict Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < RecordHeaderLength)
        {
            return bytes.Length > 0 && bytes[0] != HandshakeRecord ? FirstBytesVerdict.NoHttp2 : FirstBytesVerdict.Incomplete;
        }

        if (bytes[0] != HandshakeRecord)
        {
            return FirstBytesVerdict.NoHttp2;
        }

        int recordLength = BinaryPrimitives.ReadUInt16BigEndian(bytes[3..]);
        if (recordLength > MaxRecordLength - RecordHeaderLength)
        {
            return FirstBytesVerdict.NoHttp2;
        }

        if (bytes.Length < RecordHeaderLength + recordLength)
        {
            return FirstBytesVerdict.Incomplete;
        }

        var reader = new Reader(bytes.Slice(RecordHeaderLength, recordLength));
        if (!reader.Byte(out var messageType) || messageType != ClientHelloMessage
            || !reader.Length(3, out var messageLength)
            || !reader.Sub(messageLength, out var hello))
        {
            return FirstBytesVerdict.NoHttp2; // not a ClientHello, or fragmented across records
        }

        if (!hello.Skip(2 + 32) // legacy_version, random
            || !hello.Vector(1, out _) // legacy_session_id
            || !hello.Vector(2, out _) // cipher_suites
            || !hello.Vector(1, out _) // legacy_compression_methods
            || !hello.Vector(2, out var extensions))
        {
            return FirstBytesVerdict.NoHttp2; // no extensions, so no ALPN
        }

        while (extensions.Length(2, out var type) && extensions.Vector(2, out var data))
        {
            if (type == AlpnExtension)
            {
                return OffersH2(data) ? FirstBytesVerdict.OffersHttp2 : FirstBytesVerdict.NoHttp2;
            }
        }

        return FirstBytesVerdict.NoHttp2;
    }

    private static bool OffersH2(Reader alpn)
    {
        if (!alpn.Vector(2, out var names))
        {
            return false;
        }

        while (names.Vector(1, out var name))
        {
            if (name.Rest.SequenceEqual("h2"u8))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A bounds-checked cursor over TLS's length-prefixed vectors.</summary>
    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private ReadOnlySpan<byte> _rest = bytes;

        public readonly ReadOnlySpan<byte> Rest => _rest;

        public bool Byte(out byte value)
        {
            value = 0;
            if (_rest.IsEmpty)
            {
                return false;
            }

            value = _rest[0];
            _rest = _rest[1..];
            return true;
        }

        /// <summary>A big-endian integer of <paramref name="size"/> bytes (1–3).</summary>
        public bool Length(int size, out int value)
        {
            value = 0;
            if (_rest.Length < size)
            {
                return false;
            }

            for (var i = 0; i < size; i++)
            {
                value = (value << 8) | _rest[i];
            }

            _rest = _rest[size..];
            return true;
        }

        public bool Skip(int count)
        {
            if (_rest.Length < count)
            {
                return false;
            }

            _rest = _rest[count..];
            return true;
        }

        public bool Sub(int length, out Reader sub)
        {
            sub = default;
            if (_rest.Length < length)
            {
                return false;
            }

            sub = new Reader(_rest[..length]);
            _rest = _rest[length..];
            return true;
        }

        /// <summary>A vector whose length prefix takes <paramref name="lengthSize"/> bytes.</summary>
        public bool Vector(int lengthSize, out Reader vector)
        {
            vector = default;
            return Length(lengthSize, out var length) && Sub(length, out vector);
        }
    }
}
