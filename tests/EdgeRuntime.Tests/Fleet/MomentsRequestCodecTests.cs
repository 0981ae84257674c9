using System.Text.Json;
using EdgeRuntime.Features;
using EdgeRuntime.Fleet;

namespace EdgeRuntime.Tests.Fleet;

public sealed class MomentsRequestCodecTests : IDisposable
{
    private readonly System.Security.Cryptography.ECDsa _fleet = FleetKeys.Generate();
    private readonly System.Security.Cryptography.ECDsa _rogue = FleetKeys.Generate();
    private readonly System.Security.Cryptography.ECDsa _public;

    public MomentsRequestCodecTests() => _public = FleetKeys.FromPublicPem(FleetKeys.PublicPem(_fleet));

    private static MomentsRequest Request => new()
    {
        RequestId = "r1",
        Stage = MomentsRequest.MomentsStage,
        Transform = FeatureTransformKind.PowerCenteredL2,
        ReferenceMean = [0.25f, 0.5f, 1e-7f],
    };

    public void Dispose()
    {
        _fleet.Dispose();
        _rogue.Dispose();
        _public.Dispose();
    }

    [Fact]
    public void A_request_signed_with_the_fleet_key_opens_with_its_public_key_unchanged()
    {
        var opened = MomentsRequestCodec.Open(MomentsRequestCodec.Seal(Request, _fleet), _public);
        Assert.Equal(Request.RequestId, opened.RequestId);
        Assert.Equal(Request.Stage, opened.Stage);
        Assert.Equal(Request.Transform, opened.Transform);
        Assert.Equal(Request.ReferenceMean, opened.ReferenceMean);
    }

    [Fact]
    public void An_unsigned_forged_cut_or_tampered_request_is_refused_with_its_reason()
    {
        var sealedRequest = MomentsRequestCodec.Seal(Request, _fleet);
        var tampered = (byte[])sealedRequest.Clone();
        tampered[20] ^= 1;
        var cases = new (string What, byte[] Message, FleetRefusal Expected)[]
        {
            ("plain JSON, as requests were before they were signed", JsonSerializer.SerializeToUtf8Bytes(Request), FleetRefusal.Malformed),
            ("signed with a key the devices do not trust", MomentsRequestCodec.Seal(Request, _rogue), FleetRefusal.BadSignature),
            ("cut short", sealedRequest[..^10], FleetRefusal.Truncated),
            ("one bit flipped", tampered, FleetRefusal.BadSignature),
            ("a head bundle's envelope", SignedEnvelope.Seal(HeadBundleCodec.Magic, "{}"u8, _fleet), FleetRefusal.Malformed),
            ("larger than any request", new byte[MomentsRequestCodec.MaxBytes + 1], FleetRefusal.Oversized),
        };

        foreach (var (what, message, expected) in cases)
        {
            var refused = Assert.Throws<FleetMessageRefusedException>(() => MomentsRequestCodec.Open(message, _public));
            Assert.True(expected == refused.Reason, $"{what}: refused as {refused.Reason}, expected {expected} ({refused.Message})");
        }
    }
}
