using System.Security.Cryptography;
using System.Text.Json;

namespace EdgeRuntime.Fleet;

/// <summary>
/// The signed wire form of a <see cref="MomentsRequest"/>: signed with the fleet key that signs head bundles, so a
/// device answers only the operator, even if someone else could write the requests topic (a broker ACL mistake, a
/// leaked device password). Same envelope as every fleet message (<see cref="SignedEnvelope"/>).
/// </summary>
public static class MomentsRequestCodec
{
    public const string Magic = "ERMREQ01";

    /// <summary>A request carries at most a reference mean: 256 KiB holds one of 16,000 dimensions in JSON.</summary>
    public const long MaxBytes = 256 * 1024;

    public static byte[] Seal(MomentsRequest request, ECDsa fleetKey) =>
        SignedEnvelope.Seal(Magic, JsonSerializer.SerializeToUtf8Bytes(request, HeadBundle.Json), fleetKey);

    /// <summary>Verifies a request with the fleet public key and parses it.</summary>
    /// <exception cref="FleetMessageRefusedException">Why it is refused (unsigned, wrong key, cut, not JSON, other schema).</exception>
    public static MomentsRequest Open(ReadOnlyMemory<byte> message, ECDsa fleetPublicKey) =>
        SignedEnvelope.OpenJson<MomentsRequest>(Magic, message, fleetPublicKey, MaxBytes, "moments request", r => r.Schema);
}
