using System.Net;
using DispatchBoard.Web.Hosting;
using Lib.Net.Http.WebPush;
using Microsoft.Extensions.Options;
using WebPushSubscription = Lib.Net.Http.WebPush.PushSubscription;

namespace DispatchBoard.Web.Push;

/// <summary>What became of one push to one device.</summary>
public enum PushResult { Delivered, Gone, Retry, GiveUp, Expired }

/// <summary>One push's outcome: the delivery it was for (none for a test alert), the device, and what the push service said.</summary>
public sealed record PushAttempt(long? DeliveryId, long SubscriptionId, PushResult Result, TimeSpan? RetryAfter, string? Error);

/// <summary>
/// One push over HTTP to one device's push service: the payload encrypted for the device (RFC 8291, aes128gcm), the
/// VAPID token (RFC 8292), TTL and urgency (RFC 8030). Every answer of the push service becomes a <see cref="PushAttempt"/>.
/// </summary>
public sealed class WebPushClient(VapidKeys keys, IHttpClientFactory httpClients, IOptions<PushOptions> options, TimeProvider time,
    ILogger<WebPushClient> logger)
{
    public const string HttpClientName = "WebPush";
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    public async Task<PushAttempt> PushAsync(long? deliveryId, PushSubscription device, PushPayload payload, DateTimeOffset expiry, bool urgent,
        CancellationToken stopping)
    {
        if (!Uri.TryCreate(device.Endpoint, UriKind.Absolute, out var endpoint) || !options.Value.AllowsHost(endpoint.Host))
        {
            // Stored before Push:AllowedHosts changed: the server posts only to the push services it allows.
            return new PushAttempt(deliveryId, device.Id, PushResult.GiveUp, null, "The push service is not in Push:AllowedHosts");
        }
        var ttl = expiry - time.GetUtcNow();
        if (ttl <= TimeSpan.Zero)
        {
            return new PushAttempt(deliveryId, device.Id, PushResult.Expired, null, null);
        }
        var message = new PushMessage(payload.ToJson())
        {
            TimeToLive = (int)Math.Ceiling(ttl.TotalSeconds),
            Urgency = urgent ? PushMessageUrgency.High : PushMessageUrgency.Normal,
            Topic = payload.Tag.Length <= 32 ? payload.Tag : null,
        };
        var subscription = new WebPushSubscription { Endpoint = device.Endpoint, Keys = new Dictionary<string, string> { ["p256dh"] = device.P256dh, ["auth"] = device.Auth } };
        // Retries are ours (scheduled on the clock): the library's inline Retry-After wait would hold a sending slot.
        var client = new PushServiceClient(httpClients.CreateClient(HttpClientName)) { AutoRetryAfter = false };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(options.Value.RequestTimeoutSeconds), time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping);
        try
        {
            await client.RequestPushMessageDeliveryAsync(subscription, message, await keys.AuthenticationAsync(linked.Token), linked.Token);
            return new PushAttempt(deliveryId, device.Id, PushResult.Delivered, null, null);
        }
        catch (PushServiceClientException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            return new PushAttempt(deliveryId, device.Id, PushResult.Gone, null, $"{(int)ex.StatusCode} {ex.Message}");
        }
        catch (PushServiceClientException ex) when ((int)ex.StatusCode == 429 || (int)ex.StatusCode >= 500)
        {
            return new PushAttempt(deliveryId, device.Id, PushResult.Retry, RetryAfter(ex), $"{(int)ex.StatusCode} {ex.Message}");
        }
        catch (PushServiceClientException ex)
        {
            logger.PushRefused(device.Id, (int)ex.StatusCode, ex.Message, ex.Body);
            return new PushAttempt(deliveryId, device.Id, PushResult.GiveUp, null, $"{(int)ex.StatusCode} {ex.Message}");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return new PushAttempt(deliveryId, device.Id, PushResult.Retry, null, $"No answer within {options.Value.RequestTimeoutSeconds} s");
        }
        catch (HttpRequestException ex)
        {
            return new PushAttempt(deliveryId, device.Id, PushResult.Retry, null, $"HttpRequestException: {ex.Message}");
        }
    }

    private TimeSpan? RetryAfter(PushServiceClientException ex)
    {
        var header = ex.Headers?.RetryAfter;
        TimeSpan? delay = header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : null);
        return delay is { } d ? TimeSpan.FromTicks(Math.Clamp(d.Ticks, 0, MaxRetryDelay.Ticks)) : null;
    }
}
