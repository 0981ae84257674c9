using System.Text;
using System.Text.Json;
using EdgeRuntime.Fleet;
using EdgeRuntime.TestSupport;

namespace EdgeRuntime.Tests.Fleet;

public sealed class HeadBundleCodecTests : IDisposable
{
    private const string Backbone = "resnet18-abc";
    private readonly TestDirectory _data = new("bundle-codec");
    private readonly System.Security.Cryptography.ECDsa _key = FleetKeys.Generate();

    public void Dispose()
    {
        _key.Dispose();
        _data.Dispose();
    }

    [Fact]
    public void A_sealed_bundle_opens_with_the_public_key_and_carries_the_head_files_unchanged()
    {
        var bundle = TestBundles.Bundle(_data, 5, _key);
        using var publicKey = FleetKeys.FromPublicPem(FleetKeys.PublicPem(_key));
        var opened = HeadBundleCodec.Open(HeadBundleCodec.Seal(bundle, _key), publicKey, Backbone, 512);
        Assert.Equal(bundle.BundleId, opened.BundleId);
        Assert.Equal(5, opened.Sequence);
        Assert.Equal(bundle.HeadOnnx, opened.HeadOnnx);
        Assert.Equal(bundle.Checkpoint, opened.Checkpoint);
        Assert.Equal(bundle.Labels, opened.Labels);
        Assert.Equal(FleetKeys.KeyId(_key), opened.KeyId);
    }

    [Fact]
    public void Flipping_any_byte_of_a_bundle_gets_it_refused()
    {
        var sealedBundle = HeadBundleCodec.Seal(TestBundles.Bundle(_data, 1, _key), _key);
        for (int i = 0; i < sealedBundle.Length; i += Math.Max(1, sealedBundle.Length / 400))
        {
            var copy = (byte[])sealedBundle.Clone();
            copy[i] ^= 0x01;
            var refused = Assert.Throws<FleetMessageRefusedException>(() => HeadBundleCodec.Open(copy, _key, Backbone, 512));
            Assert.Contains(refused.Reason, new[] { FleetRefusal.BadSignature, FleetRefusal.Malformed, FleetRefusal.Truncated });
        }
    }

    [Fact]
    public void A_bundle_signed_with_another_key_is_refused_as_a_bad_signature()
    {
        using var other = FleetKeys.Generate();
        var sealedBundle = HeadBundleCodec.Seal(TestBundles.Bundle(_data, 1, other), other);
        Assert.Equal(FleetRefusal.BadSignature, Assert.Throws<FleetMessageRefusedException>(() => HeadBundleCodec.Open(sealedBundle, _key, Backbone, 512)).Reason);
    }

    [Fact]
    public void A_cut_bundle_is_refused_as_truncated_at_every_length()
    {
        var sealedBundle = HeadBundleCodec.Seal(TestBundles.Bundle(_data, 1, _key), _key);
        for (int length = 8; length < sealedBundle.Length; length += 97)
        {
            Assert.Equal(FleetRefusal.Truncated, Assert.Throws<FleetMessageRefusedException>(() => HeadBundleCodec.Open(sealedBundle.AsMemory(0, length), _key, Backbone, 512)).Reason);
        }
    }

    [Fact]
    public void Oversized_trailing_foreign_and_unknown_schema_messages_are_refused_with_their_reason()
    {
        var sealedBundle = HeadBundleCodec.Seal(TestBundles.Bundle(_data, 1, _key), _key);
        Assert.Equal(FleetRefusal.Oversized, Refusal(sealedBundle, maxBytes: sealedBundle.Length - 1));
        Assert.Equal(FleetRefusal.Malformed, Refusal([.. sealedBundle, 0]));
        Assert.Equal(FleetRefusal.Malformed, Refusal(Encoding.UTF8.GetBytes("{\"schema\":1}")));
        Assert.Equal(FleetRefusal.Malformed, Refusal(SignedEnvelope.Seal(HeadBundleCodec.Magic, "not json"u8, _key)));
        Assert.Equal(FleetRefusal.UnsupportedSchema, Refusal(SignedEnvelope.Seal(HeadBundleCodec.Magic, "{\"schema\":2}"u8, _key)));
        Assert.Equal(FleetRefusal.WrongBackbone, Assert.Throws<FleetMessageRefusedException>(() => HeadBundleCodec.Open(sealedBundle, _key, "another-backbone", 512)).Reason);
        Assert.Equal(FleetRefusal.WrongBackbone, Assert.Throws<FleetMessageRefusedException>(() => HeadBundleCodec.Open(sealedBundle, _key, Backbone, 256)).Reason);
    }

    [Fact]
    public void A_signed_bundle_whose_files_do_not_match_their_hashes_is_refused_as_invalid()
    {
        var bundle = TestBundles.Bundle(_data, 1, _key);
        var altered = bundle with { HeadOnnx = [.. bundle.HeadOnnx.Reverse()] };
        Assert.Equal(FleetRefusal.Invalid, Refusal(HeadBundleCodec.Seal(altered, _key)));
        Assert.Equal(FleetRefusal.Invalid, Refusal(HeadBundleCodec.Seal(bundle with { Sequence = 0 }, _key)));
    }

    [Fact]
    public void The_payload_is_camel_case_json_readable_without_the_engine()
    {
        var sealedBundle = HeadBundleCodec.Seal(TestBundles.Bundle(_data, 9, _key), _key);
        using var json = JsonDocument.Parse(sealedBundle.AsMemory(12, sealedBundle.Length - 12 - SignedEnvelope.SignatureBytes));
        Assert.Equal(1, json.RootElement.GetProperty("schema").GetInt32());
        Assert.Equal(9, json.RootElement.GetProperty("sequence").GetInt64());
        Assert.Equal(Backbone, json.RootElement.GetProperty("backboneHash").GetString());
        Assert.NotEmpty(json.RootElement.GetProperty("headOnnx").GetBytesFromBase64());
    }

    private FleetRefusal Refusal(byte[] message, long maxBytes = HeadBundleCodec.DefaultMaxBytes) =>
        Assert.Throws<FleetMessageRefusedException>(() => HeadBundleCodec.Open(message, _key, Backbone, 512, maxBytes)).Reason;
}
