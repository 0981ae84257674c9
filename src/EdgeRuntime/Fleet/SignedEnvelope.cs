using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EdgeRuntime.Fleet;

/// <summary>
/// The wire form of every signed fleet message: 8-byte magic, payload length (uint32 little-endian), payload, then
/// a 64-byte ECDSA P-256 / SHA-256 signature (IEEE P1363) over everything before it. The exact length is part of
/// the format, so a cut message is told apart from a tampered one. See docs/fleet.md.
/// </summary>
public static class SignedEnvelope
{
    public const int SignatureBytes = 64;
    private const int HeaderBytes = 12;

    /// <summary>Signs <paramref name="payload"/> under <paramref name="magic"/> (8 ASCII characters naming the kind).</summary>
    public static byte[] Seal(string magic, ReadOnlySpan<byte> payload, ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var magicBytes = MagicBytes(magic);
        var message = new byte[HeaderBytes + payload.Length + SignatureBytes];
        magicBytes.CopyTo(message, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), (uint)payload.Length);
        payload.CopyTo(message.AsSpan(HeaderBytes));
        int signed = HeaderBytes + payload.Length;
        if (!key.TrySignData(message.AsSpan(0, signed), message.AsSpan(signed), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation, out int written) || written != SignatureBytes)
        {
            throw new EdgeRuntimeException("The key did not produce a 64-byte P-256 signature; is it an ECDSA P-256 private key?");
        }

        return message;
    }

    /// <summary>Checks size, framing and signature, in that order, and returns the payload.</summary>
    /// <exception cref="FleetMessageRefusedException">Why the message is refused.</exception>
    public static ReadOnlyMemory<byte> Open(string magic, ReadOnlyMemory<byte> message, ECDsa publicKey, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (message.Length > maxBytes)
        {
            throw Refuse(FleetRefusal.Oversized, $"The message is {message.Length} bytes; the limit is {maxBytes}.");
        }

        var span = message.Span;
        var magicBytes = MagicBytes(magic);
        if (span.Length < magicBytes.Length || !span[..magicBytes.Length].SequenceEqual(magicBytes))
        {
            throw Refuse(FleetRefusal.Malformed, $"The message does not start with '{magic}': not a signed fleet message of this kind.");
        }

        if (span.Length < HeaderBytes)
        {
            throw Refuse(FleetRefusal.Truncated, $"The message ends inside its header ({span.Length} bytes).");
        }

        long payloadLength = BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
        long expected = HeaderBytes + payloadLength + SignatureBytes;
        if (span.Length < expected)
        {
            throw Refuse(FleetRefusal.Truncated, $"The message is {span.Length} bytes but its header announces {expected}: it was cut short.");
        }

        if (span.Length > expected)
        {
            throw Refuse(FleetRefusal.Malformed, $"The message is {span.Length} bytes but its header announces {expected}: trailing bytes.");
        }

        int signed = HeaderBytes + (int)payloadLength;
        if (!publicKey.VerifyData(span[..signed], span[signed..], HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            throw Refuse(FleetRefusal.BadSignature, $"The signature does not verify with fleet key {FleetKeys.KeyId(publicKey)}: the message was altered or signed with another key.");
        }

        return message.Slice(HeaderBytes, (int)payloadLength);
    }

    /// <summary>Opens the envelope, parses its JSON payload as <typeparamref name="T"/> and checks its schema is 1.</summary>
    /// <param name="what">Names the message in refusals ("moments report").</param>
    /// <exception cref="FleetMessageRefusedException">Why the message is refused.</exception>
    public static T OpenJson<T>(string magic, ReadOnlyMemory<byte> message, ECDsa publicKey, long maxBytes, string what, Func<T, int> schemaOf)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(schemaOf);
        var payload = Open(magic, message, publicKey, maxBytes);
        T value;
        try
        {
            value = JsonSerializer.Deserialize<T>(payload.Span, HeadBundle.Json) ?? throw Refuse(FleetRefusal.Malformed, $"The {what} is JSON null.");
        }
        catch (JsonException ex)
        {
            throw new FleetMessageRefusedException(FleetRefusal.Malformed, $"The {what} is not valid JSON: {ex.Message}", ex);
        }

        int schema = schemaOf(value);
        return schema == 1 ? value : throw Refuse(FleetRefusal.UnsupportedSchema, string.Create(CultureInfo.InvariantCulture, $"The {what}'s schema {schema} is not supported."));
    }

    private static byte[] MagicBytes(string magic)
    {
        var bytes = Encoding.ASCII.GetBytes(magic);
        return bytes.Length == 8 ? bytes : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Envelope magic must be 8 ASCII characters, not {bytes.Length}."), nameof(magic));
    }

    private static FleetMessageRefusedException Refuse(FleetRefusal reason, string message) => new(reason, message);
}
