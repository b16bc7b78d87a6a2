using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DispatchBoard.Web.Push;
using Microsoft.AspNetCore.WebUtilities;

namespace DispatchBoard.Testing;

/// <summary>
/// A browser's side of Web Push: its own P-256 key pair and 16-byte auth secret, so the test decrypts what the server
/// sent exactly as a browser would (RFC 8291, aes128gcm) and checks the VAPID header as a push service would (RFC 8292).
/// </summary>
public sealed class TestDevice : IDisposable
{
    private readonly ECDiffieHellman _key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
    private readonly byte[] _auth = RandomNumberGenerator.GetBytes(16);

    public TestDevice(string endpoint) => Endpoint = endpoint;

    public string Endpoint { get; }

    public byte[] PublicKey
    {
        get
        {
            var q = _key.ExportParameters(false).Q;
            return [0x04, .. q.X!, .. q.Y!];
        }
    }

    public PushSubscribeRequest Request(string? label = "Test phone") =>
        new(Endpoint, new PushKeysInput(WebEncoders.Base64UrlEncode(PublicKey), WebEncoders.Base64UrlEncode(_auth)), label);

    /// <summary>RFC 8291 §3.4 and RFC 8188: header (salt, rs, keyid = the sender's public key), then one AES-128-GCM record.</summary>
    public JsonElement Decrypt(byte[] body)
    {
        var salt = body[..16];
        var recordSize = BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16, 4));
        Assert.True(recordSize >= 18);
        var idLength = body[20];
        Assert.Equal(65, idLength);
        var senderPublic = body[21..(21 + idLength)];
        var ciphertext = body[(21 + idLength)..];

        using var sender = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = senderPublic[1..33], Y = senderPublic[33..65] } });
        var ecdhSecret = _key.DeriveRawSecretAgreement(sender.PublicKey);
        byte[] keyInfo = [.. "WebPush: info\0"u8, .. PublicKey, .. senderPublic];
        var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, ecdhSecret, 32, _auth, keyInfo);
        var cek = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 16, salt, "Content-Encoding: aes128gcm\0"u8.ToArray());
        var nonce = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 12, salt, "Content-Encoding: nonce\0"u8.ToArray());

        var plaintext = new byte[ciphertext.Length - 16];
        using (var aes = new AesGcm(cek, 16))
        {
            aes.Decrypt(nonce, ciphertext[..^16], ciphertext[^16..], plaintext);
        }
        // The last (only) record: the content, then the 0x02 delimiter, then zero padding.
        var end = plaintext.Length - 1;
        while (end >= 0 && plaintext[end] == 0)
        {
            end--;
        }
        Assert.Equal(0x02, plaintext[end]);
        return JsonDocument.Parse(Encoding.UTF8.GetString(plaintext, 0, end)).RootElement.Clone();
    }

    public sealed record VapidClaims(string Audience, DateTimeOffset Expires, string Subject, string Key);

    /// <summary>"vapid t=&lt;jwt&gt;, k=&lt;key&gt;": the ES256 signature verifies with k; returns the claims.</summary>
    public static VapidClaims VerifyVapid(string authorization)
    {
        Assert.StartsWith("vapid ", authorization);
        var parts = authorization["vapid ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var token = parts["t"];
        var key = parts["k"];
        var segments = token.Split('.');
        Assert.Equal(3, segments.Length);
        var header = JsonDocument.Parse(WebEncoders.Base64UrlDecode(segments[0])).RootElement;
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        var point = WebEncoders.Base64UrlDecode(key);
        Assert.True(P256.IsUncompressedPoint(point));
        using var verifier = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = P256.Q(point) });
        Assert.True(verifier.VerifyData(Encoding.ASCII.GetBytes($"{segments[0]}.{segments[1]}"), WebEncoders.Base64UrlDecode(segments[2]), HashAlgorithmName.SHA256),
            "The VAPID JWT's ES256 signature does not verify with k.");
        var claims = JsonDocument.Parse(WebEncoders.Base64UrlDecode(segments[1])).RootElement;
        return new VapidClaims(claims.GetProperty("aud").GetString()!, DateTimeOffset.FromUnixTimeSeconds(claims.GetProperty("exp").GetInt64()),
            claims.GetProperty("sub").GetString()!, key);
    }

    public void Dispose() => _key.Dispose();
}
