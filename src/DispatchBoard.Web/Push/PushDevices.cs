using DispatchBoard.Web.Auth;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DispatchBoard.Web.Push;

public sealed record PushKeysInput(string? P256dh, string? Auth);

/// <summary>What a browser's PushManager.subscribe() gave, as push.js posts it.</summary>
public sealed record PushSubscribeRequest(string? Endpoint, PushKeysInput? Keys, string? Label);

public sealed record PushDeviceDto(long Id, string? Label, DateTimeOffset CreatedAt, DateTimeOffset? LastSuccessAt, int ConsecutiveFailures);

/// <summary>
/// A person's devices that receive their alerts by Web Push: subscribe (upsert by endpoint), list, remove, test. A
/// browser that re-subscribes after someone else signed in on it moves to that person (and gets none of the old alerts).
/// At the cap (Push:MaxDevicesPerUser) a new device replaces the person's longest-unused one.
/// </summary>
public sealed class PushDevices(IDbContextFactory<DispatchDbContext> dbFactory, PushSender sender, IOptions<PushOptions> options, TimeProvider time,
    ILogger<PushDevices> logger) : ISignOutStep
{
    public async Task<ServiceResult<PushDeviceDto>> SubscribeAsync(string userId, PushSubscribeRequest request, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var endpoint = Validate(request, options.Value, errors, out var p256dh, out var auth, out var label);
        if (errors.Any)
        {
            return ServiceResult<PushDeviceDto>.Invalid(errors);
        }
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var now = time.GetUtcNow();
            var device = await db.PushSubscriptions.FirstOrDefaultAsync(s => s.Endpoint == endpoint, ct);
            if (device is null)
            {
                device = new PushSubscription { UserId = userId, Endpoint = endpoint!, P256dh = p256dh!, Auth = auth!, CreatedAt = now };
                db.PushSubscriptions.Add(device);
                await MakeRoomAsync(db, userId, ct);
            }
            else if (device.UserId != userId)
            {
                // Someone else signed in on this browser: it is theirs from now on, and no earlier alert is pushed to it.
                device.UserId = userId;
                device.CreatedAt = now;
                device.LastSuccessAt = null;
                device.ConsecutiveFailures = 0;
                await MakeRoomAsync(db, userId, ct);
            }
            device.P256dh = p256dh!;
            device.Auth = auth!;
            device.Label = label;
            try
            {
                await db.SaveChangesAsync(ct);
                return ServiceResult<PushDeviceDto>.Ok(ToDto(device));
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // The same browser subscribed twice at once: the other insert won; update that row instead.
            }
        }
    }

    public async Task<IReadOnlyList<PushDeviceDto>> ListAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.PushSubscriptions.AsNoTracking().Where(s => s.UserId == userId).OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToListAsync(ct);
        return rows.Select(ToDto).ToList();
    }

    /// <summary>Which of the person's devices has this endpoint (the browser asking is that device), if any.</summary>
    public async Task<long?> FindAsync(string userId, string endpoint, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var trimmed = endpoint.Trim();
        return await db.PushSubscriptions.Where(s => s.UserId == userId && s.Endpoint == trimmed).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>Removes one of the person's own devices; false when it is not theirs (or gone already).</summary>
    public async Task<bool> RemoveAsync(string userId, long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.PushSubscriptions.Where(s => s.Id == id && s.UserId == userId).ExecuteDeleteAsync(ct) == 1;
    }

    /// <summary>
    /// Removes the device with this endpoint, whoever it belongs to (signing out on it). The endpoint is an
    /// unguessable capability URL that only this browser knows, so presenting it is proof enough.
    /// </summary>
    public async Task<bool> RemoveEndpointAsync(string? endpoint, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return false;
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var trimmed = endpoint.Trim();
        return await db.PushSubscriptions.Where(s => s.Endpoint == trimmed).ExecuteDeleteAsync(ct) > 0;
    }

    /// <summary>Signing out on a device stops its alerts: the next person on it must not get the last one's.</summary>
    Task ISignOutStep.SignedOutAsync(LogoutRequest request, CancellationToken ct) => RemoveEndpointAsync(request.PushEndpoint, ct);

    /// <summary>Removes every device of a person inside the caller's transaction (deactivation).</summary>
    public static Task<int> ForgetUserAsync(DispatchDbContext db, string userId, CancellationToken ct) =>
        db.PushSubscriptions.Where(s => s.UserId == userId).ExecuteDeleteAsync(ct);

    /// <summary>Queues a test alert to each of the person's devices; the number of devices it goes to.</summary>
    public async Task<int> SendTestAsync(string userId, CancellationToken ct = default)
    {
        var count = (await ListAsync(userId, ct)).Count;
        if (count > 0 && !sender.SendTest(userId))
        {
            logger.PushTestNotQueued(userId);
            return 0;
        }
        return count;
    }

    private async Task MakeRoomAsync(DispatchDbContext db, string userId, CancellationToken ct)
    {
        var max = options.Value.MaxDevicesPerUser;
        var existing = await db.PushSubscriptions.Where(s => s.UserId == userId && s.Id != 0)
            .OrderBy(s => s.LastSuccessAt ?? s.CreatedAt).ThenBy(s => s.Id).ToListAsync(ct);
        var over = existing.Count - (max - 1);
        if (over > 0)
        {
            db.PushSubscriptions.RemoveRange(existing.Take(over));
        }
    }

    private static string? Validate(PushSubscribeRequest request, PushOptions options, ValidationErrors errors, out string? p256dh, out string? auth, out string? label)
    {
        var endpoint = errors.Text("endpoint", "The push endpoint", request.Endpoint, PushSubscription.EndpointMaxLength, required: true);
        if (endpoint is not null && !errors.Any)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(url.Fragment)
                || !string.IsNullOrEmpty(url.UserInfo))
            {
                errors.Add("endpoint", "The push endpoint must be an absolute https URL.");
            }
            else if (!options.AllowsHost(url.Host))
            {
                errors.Add("endpoint", $"{url.Host} is not a push service this server sends to (Push:AllowedHosts).");
            }
            else if (url.Scheme == "http" && !url.IsLoopback)
            {
                errors.Add("endpoint", "The push endpoint must use https (http only for a push service on this machine).");
            }
        }
        p256dh = request.Keys?.P256dh?.Trim();
        var point = P256.Decode(p256dh);
        if (point is null || !P256.IsUncompressedPoint(point))
        {
            errors.Add("keys.p256dh", "keys.p256dh must be base64url of the browser's 65-byte uncompressed P-256 public key.");
        }
        auth = request.Keys?.Auth?.Trim();
        if (P256.Decode(auth) is not { Length: 16 })
        {
            errors.Add("keys.auth", "keys.auth must be base64url of the browser's 16-byte authentication secret.");
        }
        label = errors.Text("label", "The device name", request.Label, PushSubscription.LabelMaxLength, required: false);
        if (p256dh is { Length: > PushSubscription.KeyMaxLength })
        {
            errors.Add("keys.p256dh", "keys.p256dh is too long.");
        }
        if (auth is { Length: > PushSubscription.KeyMaxLength })
        {
            errors.Add("keys.auth", "keys.auth is too long.");
        }
        return endpoint;
    }

    private static PushDeviceDto ToDto(PushSubscription s) => new(s.Id, s.Label, s.CreatedAt, s.LastSuccessAt, s.ConsecutiveFailures);
}
