using System.Numerics;
using System.Security.Cryptography;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Push;

public sealed record VapidKeyPair(string PublicKey, string PrivateKey);

/// <summary>
/// The application server's VAPID key pair: from configuration, or made once at first start and kept in the database.
/// Regenerating it would orphan every subscription (browsers bind a subscription to the key), so a restart and a second
/// instance read the same row: insert-if-absent under one fixed key, then read back whatever won.
/// </summary>
public sealed class VapidKeys(IDbContextFactory<DispatchDbContext> dbFactory, IOptions<PushOptions> options, IOptions<SchoolOptions> school,
    TimeProvider time, ILogger<VapidKeys> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private VapidKeyPair? _pair;
    private VapidAuthentication? _authentication;

    public async Task<VapidKeyPair> GetAsync(CancellationToken ct = default)
    {
        if (_pair is { } known)
        {
            return known;
        }
        await _gate.WaitAsync(ct);
        try
        {
            return _pair ??= await LoadAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The signer the push client uses; its JWTs are cached per audience until shortly before they expire.</summary>
    public async Task<VapidAuthentication> AuthenticationAsync(CancellationToken ct = default)
    {
        if (_authentication is { } made)
        {
            return made;
        }
        var pair = await GetAsync(ct);
        var authentication = new VapidAuthentication(pair.PublicKey, pair.PrivateKey)
        {
            Subject = options.Value.EffectiveSubject(school.Value),
            Expiration = (int)TimeSpan.FromHours(12).TotalSeconds,
            TokenCache = new VapidTokenCache(),
        };
        return Interlocked.CompareExchange(ref _authentication, authentication, null) ?? authentication;
    }

    private async Task<VapidKeyPair> LoadAsync(CancellationToken ct)
    {
        var configured = options.Value;
        if (!string.IsNullOrWhiteSpace(configured.PublicKey))
        {
            return new VapidKeyPair(configured.PublicKey.Trim(), configured.PrivateKey!.Trim());
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.PushVapidKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == PushVapidKey.SingletonId, ct) is { } stored)
        {
            return new VapidKeyPair(stored.PublicKey, stored.PrivateKey);
        }
        var fresh = Generate();
        db.PushVapidKeys.Add(new PushVapidKey { Id = PushVapidKey.SingletonId, PublicKey = fresh.PublicKey, PrivateKey = fresh.PrivateKey, CreatedAt = time.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(ct);
            logger.VapidKeysMade();
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            // Another instance stored its pair first: use that one, so every instance signs with the same key.
        }
        await using var again = await dbFactory.CreateDbContextAsync(ct);
        var winner = await again.PushVapidKeys.AsNoTracking().SingleAsync(k => k.Id == PushVapidKey.SingletonId, ct);
        return new VapidKeyPair(winner.PublicKey, winner.PrivateKey);
    }

    public static VapidKeyPair Generate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = key.ExportParameters(includePrivateParameters: true);
        return new VapidKeyPair(WebEncoders.Base64UrlEncode([0x04, .. parameters.Q.X!, .. parameters.Q.Y!]),
            WebEncoders.Base64UrlEncode(parameters.D!));
    }

    /// <summary>Why a configured pair is unusable, or null when it is a valid P-256 pair that belongs together.</summary>
    public static string? Check(string publicKey, string privateKey)
    {
        var point = P256.Decode(publicKey.Trim());
        if (point is null || !P256.IsUncompressedPoint(point))
        {
            return "the public key must be base64url of a 65-byte uncompressed P-256 point on the curve.";
        }
        var scalar = P256.Decode(privateKey.Trim());
        if (scalar is not { Length: 32 })
        {
            return "the private key must be base64url of 32 bytes.";
        }
        try
        {
            using var signer = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = scalar, Q = P256.Q(point) });
            using var verifier = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = P256.Q(point) });
            byte[] probe = [1, 2, 3];
            return verifier.VerifyData(probe, signer.SignData(probe, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256)
                ? null
                : "the private key does not belong to the public key.";
        }
        catch (CryptographicException)
        {
            return "the private key does not belong to the public key.";
        }
    }

    /// <summary>
    /// JWTs reused per push service origin: signing once per origin, not once per push (500 devices, a handful of
    /// origins). The library stamps "exp" from the machine's clock, so the cache compares with that same clock.
    /// </summary>
    private sealed class VapidTokenCache : IVapidTokenCache
    {
        private static readonly TimeProvider MachineClock = TimeProvider.System;

        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (DateTimeOffset Expires, string Token)> _tokens = new();

        public void Put(string audience, DateTimeOffset expiration, string token) => _tokens[audience] = (expiration, token);

        public string? Get(string audience) =>
            _tokens.TryGetValue(audience, out var entry) && entry.Expires - MachineClock.GetUtcNow() > TimeSpan.FromHours(1) ? entry.Token : null;
    }
}

/// <summary>Checks on NIST P-256 points as browsers send them (base64url, 65 bytes, 0x04 || X || Y).</summary>
public static class P256
{
    private static readonly BigInteger Prime = BigInteger.Parse("115792089210356248762697446949407573530086143415290314195533631308867097853951");
    private static readonly BigInteger B = BigInteger.Parse("41058363725152142129326129780047268409114441015993725554835256314039467401291");

    public static byte[]? Decode(string? base64Url)
    {
        if (string.IsNullOrWhiteSpace(base64Url))
        {
            return null;
        }
        try
        {
            return WebEncoders.Base64UrlDecode(base64Url.TrimEnd('='));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>65 bytes, uncompressed form, coordinates below p, and y² = x³ − 3x + b (mod p): a point on the curve.</summary>
    public static bool IsUncompressedPoint(byte[] point)
    {
        if (point.Length != 65 || point[0] != 0x04)
        {
            return false;
        }
        var x = new BigInteger(point.AsSpan(1, 32), isUnsigned: true, isBigEndian: true);
        var y = new BigInteger(point.AsSpan(33, 32), isUnsigned: true, isBigEndian: true);
        if (x >= Prime || y >= Prime)
        {
            return false;
        }
        var left = BigInteger.ModPow(y, 2, Prime);
        var right = ((BigInteger.ModPow(x, 3, Prime) - 3 * x + B) % Prime + Prime) % Prime;
        return left == right;
    }

    public static ECPoint Q(byte[] point) => new() { X = point[1..33], Y = point[33..65] };
}
