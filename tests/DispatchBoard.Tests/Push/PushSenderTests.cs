using System.Diagnostics;
using DispatchBoard.Testing;
using DispatchBoard.Web.Data;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Push;
using DispatchBoard.Web.Staff;
using DispatchBoard.Web.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DispatchBoard.Tests.Push;

/// <summary>
/// The sender against a real push service on loopback: what reaches a device is decrypted with the device's own keys,
/// the VAPID header is verified, and retries run on the fake clock. Demo school: a report in A204 goes to Wang Lei (staff1).
/// </summary>
public sealed class PushSenderTests : IAsyncLifetime
{
    private TestPushService _push = default!;
    private TestData _data = default!;
    private readonly List<TestDevice> _devices = [];

    public async Task InitializeAsync()
    {
        _push = await TestPushService.StartAsync();
        _data = await TestData.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        await _push.DisposeAsync();
        await StopSenderAsync(_data);
        await _data.DisposeAsync();
        foreach (var device in _devices)
        {
            device.Dispose();
        }
    }

    private static async Task StopSenderAsync(TestData data)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await data.Get<PushSender>().StopAsync(timeout.Token);
    }

    private static Task StartSenderAsync(TestData data) => data.Get<PushSender>().StartAsync(CancellationToken.None);

    private async Task<TestDevice> SubscribeAsync(string who, string device, TestData? data = null)
    {
        data ??= _data;
        var phone = new TestDevice(_push.Url(device));
        _devices.Add(phone);
        var result = await data.Get<PushDevices>().SubscribeAsync((await data.ActorAsync(who)).UserId, phone.Request(device));
        Assert.True(result.IsOk, result.Describe());
        return phone;
    }

    private async Task<int> ReportAsync(bool urgent, string area = "A204", string category = "Lighting", TestData? data = null)
    {
        var result = await (data ?? _data).Get<TicketIntake>().ReportAsync(new ReportTicket(area, category, "Light out in the corridor", urgent, null, null), TicketChannel.Web, null);
        Assert.True(result.IsOk, result.Describe());
        return result.Value!.Id;
    }

    private static async Task<T> PollAsync<T>(TestData data, Func<DispatchDbContext, Task<T>> query, Func<T, bool> done)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var value = await data.QueryAsync(query);
            if (done(value))
            {
                return value;
            }
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(15), $"Still not there after 15 s: {value}");
            await Task.Yield();
        }
    }

    private static Task<List<PushDelivery>> DeliveriesAsync(DispatchDbContext db) => db.PushDeliveries.AsNoTracking().OrderBy(d => d.Id).ToListAsync();

    [Fact]
    public async Task UrgentReport_RoutedToAStaffMembersPhone_ArrivesEncrypted_WithHighUrgency_AClaimAction_AndAValidVapidHeader()
    {
        await StartSenderAsync(_data);
        var phone = await SubscribeAsync("staff1", "phone");

        var ticketId = await ReportAsync(urgent: true);

        var request = Assert.Single(await _push.WaitForAsync(r => r.Count >= 1));
        var alert = Assert.Single(await _data.NotificationsForAsync("staff1"));
        var payload = phone.Decrypt(request.Body);
        Assert.StartsWith("URGENT: ", payload.GetProperty("title").GetString());
        Assert.Equal("Light out in the corridor", payload.GetProperty("body").GetString());
        Assert.Equal($"/my?ticket={ticketId}", payload.GetProperty("url").GetString());
        Assert.Equal($"ticket-{ticketId}", payload.GetProperty("tag").GetString());
        Assert.Equal(alert.Id, payload.GetProperty("alertId").GetInt64());
        Assert.Equal(ticketId, payload.GetProperty("ticketId").GetInt32());
        Assert.Equal("Routed", payload.GetProperty("kind").GetString());
        Assert.True(payload.GetProperty("claim").GetBoolean());
        Assert.Equal("high", request.Headers["Urgency"]);
        Assert.Equal("86400", request.Headers["TTL"]);
        Assert.Equal($"ticket-{ticketId}", request.Headers["Topic"]);
        Assert.Equal("aes128gcm", request.Headers["Content-Encoding"]);

        var vapid = TestDevice.VerifyVapid(request.Headers["Authorization"]);
        Assert.Equal((await _data.Get<VapidKeys>().GetAsync()).PublicKey, vapid.Key);
        var endpoint = new Uri(phone.Endpoint);
        // The library sends scheme://host (no port): a real push service is on 443, where that is the origin.
        Assert.Equal($"{endpoint.Scheme}://{endpoint.Host}", vapid.Audience);
        Assert.InRange(vapid.Expires, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(24));
        Assert.Equal("mailto:office@dispatchboard.example", vapid.Subject);

        var delivery = Assert.Single(await PollAsync(_data, DeliveriesAsync, d => d.Count == 1 && d[0].Outcome == PushOutcome.Delivered));
        Assert.Equal(1, delivery.Attempts);
        var device = await _data.QueryAsync(db => db.PushSubscriptions.SingleAsync());
        Assert.Equal(_data.Time.GetUtcNow(), device.LastSuccessAt);
        Assert.Equal(0, device.ConsecutiveFailures);
    }

    [Fact]
    public async Task UrgentReport_ToAStaffMemberWhoReadsChinese_IsInChinese_WithTheWorkersWordsAroundTheClaim()
    {
        await _data.SetLanguageAsync("staff1", "zh-Hans");
        await StartSenderAsync(_data);
        var phone = await SubscribeAsync("staff1", "phone");

        await ReportAsync(urgent: true);

        var payload = phone.Decrypt(Assert.Single(await _push.WaitForAsync(r => r.Count >= 1)).Body);
        Assert.StartsWith("紧急：", payload.GetProperty("title").GetString());
        Assert.True(payload.GetProperty("claim").GetBoolean());
        var words = payload.GetProperty("words");
        Assert.Equal("接单", words.GetProperty("claim").GetString());
        Assert.Equal("已接单，请前往 {0}", words.GetProperty("claimed").GetString());
        Assert.Equal("服务器返回 {0}。请打开应用接单。", words.GetProperty("serverAnswered").GetString());
    }

    [Fact]
    public async Task NormalReport_IsNormalUrgency_WithoutClaim()
    {
        await StartSenderAsync(_data);
        var phone = await SubscribeAsync("staff1", "phone");

        await ReportAsync(urgent: false);

        var request = Assert.Single(await _push.WaitForAsync(r => r.Count >= 1));
        Assert.False(request.Headers.ContainsKey("Urgency")); // absent means normal (RFC 8030 §5.3)
        Assert.False(phone.Decrypt(request.Body).GetProperty("claim").GetBoolean());
    }

    [Fact]
    public async Task TheSameAlertAnnouncedTwice_ReachesTheDeviceOnce()
    {
        await StartSenderAsync(_data);
        await SubscribeAsync("staff1", "phone");
        await SubscribeAsync("staff2", "sentinel");
        await ReportAsync(urgent: false);
        await _push.WaitForAsync(r => r.Count >= 1);
        var alert = Assert.Single(await _data.NotificationsForAsync("staff1"));

        _data.Get<NotificationService>().Announce([alert]);
        _data.Get<NotificationService>().Announce([alert]);
        // The queue is worked in order: once a later alert arrives, the repeats were handled.
        await _data.Get<NotificationService>().SendAsync([new NewNotification((await _data.ActorAsync("staff2")).UserId, NotificationKind.Reminder, "Later", null, null, null, "later")]);
        await _push.WaitForAsync(r => r.Any(x => x.Device == "sentinel"));

        Assert.Single(_push.For("phone"));
        Assert.Single(await _data.QueryAsync(db => db.PushDeliveries.Where(d => d.NotificationId == alert.Id).ToListAsync()));
    }

    [Fact]
    public async Task ABurstOfAlerts_ToPeopleWithAndWithoutADevice_ReachesEachDeviceOncePerAlert_AndNobodyElse()
    {
        await StartSenderAsync(_data);
        await SubscribeAsync("staff1", "phone");
        var staff1 = (await _data.ActorAsync("staff1")).UserId;
        var staff2 = (await _data.ActorAsync("staff2")).UserId; // no device
        var notifications = _data.Get<NotificationService>();
        await notifications.SendAsync([new NewNotification(staff1, NotificationKind.Reminder, "First", null, null, null, "first")]);
        await _push.WaitForAsync(r => r.Count >= 1);

        // Forty alerts at once, each its own announcement: the sender takes the ones queued together in one look-up.
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => notifications.SendAsync(
            [new NewNotification(i % 2 == 0 ? staff1 : staff2, NotificationKind.Reminder, $"Alert {i}", null, null, null, $"burst-{i}")])));

        var requests = await _push.WaitForAsync(r => r.Count >= 21);
        var delivered = await PollAsync(_data, DeliveriesAsync, d => d.Count >= 21 && d.All(x => x.Outcome == PushOutcome.Delivered));
        Assert.Equal(21, requests.Count);
        Assert.All(requests, r => Assert.Equal("phone", r.Device));
        var toStaff1 = await _data.QueryAsync(db => db.Notifications.Where(n => n.UserId == staff1).Select(n => n.Id).ToListAsync());
        Assert.Equal(toStaff1.Order(), delivered.Select(d => d.NotificationId).Order());
        Assert.Equal(21, delivered.Select(d => d.NotificationId).Distinct().Count());
    }

    [Fact]
    public async Task Gone410_RemovesTheSubscription()
    {
        await StartSenderAsync(_data);
        await SubscribeAsync("staff1", "phone");
        _push.Set("phone", TestPushService.Reply.Gone);

        await ReportAsync(urgent: false);

        await _push.WaitForAsync(r => r.Count >= 1);
        await PollAsync(_data, db => db.PushSubscriptions.CountAsync(), count => count == 0);
    }

    [Fact]
    public async Task TooMany429_IsRetriedAfterItsRetryAfter_ThenDelivered()
    {
        await StartSenderAsync(_data);
        await SubscribeAsync("staff1", "phone");
        await SubscribeAsync("staff2", "sentinel");
        _push.RetryAfterSeconds = 30;
        _push.Set("phone", TestPushService.Reply.TooManyThenCreated);

        await ReportAsync(urgent: false);
        await _push.WaitForAsync(r => r.Count >= 1);
        var waiting = Assert.Single(await PollAsync(_data, DeliveriesAsync, d => d.Count == 1 && d[0].Outcome == PushOutcome.Retrying));
        Assert.Equal(_data.Time.GetUtcNow().AddSeconds(30), waiting.NextAttemptAt);

        _data.Time.Advance(TimeSpan.FromSeconds(29));
        await _data.Get<NotificationService>().SendAsync([new NewNotification((await _data.ActorAsync("staff2")).UserId, NotificationKind.Reminder, "Later", null, null, null, "later")]);
        await _push.WaitForAsync(r => r.Any(x => x.Device == "sentinel"));
        Assert.Single(_push.For("phone"));
        Assert.Equal(PushOutcome.Retrying, (await _data.QueryAsync(db => db.PushDeliveries.SingleAsync(d => d.Id == waiting.Id))).Outcome);

        _data.Time.Advance(TimeSpan.FromSeconds(1));
        await _push.WaitForAsync(r => r.Count(x => x.Device == "phone") == 2);
        var delivered = await PollAsync(_data, db => db.PushDeliveries.SingleAsync(d => d.Id == waiting.Id), d => d.Outcome == PushOutcome.Delivered);
        Assert.Equal(2, delivered.Attempts);
    }

    [Fact]
    public async Task ARetryWaiting_WhenAnotherPersonTurnsAlertsOnInThatBrowser_IsNotSentToThem()
    {
        await StartSenderAsync(_data);
        var phone = await SubscribeAsync("staff1", "shared-phone");
        await SubscribeAsync("staff2", "sentinel");
        _push.RetryAfterSeconds = 30;
        _push.Set("shared-phone", TestPushService.Reply.TooManyThenCreated);
        await ReportAsync(urgent: false); // routed to Wang Lei (staff1): his phone answers 429, a retry waits
        var waiting = Assert.Single(await PollAsync(_data, DeliveriesAsync, d => d.Count == 1 && d[0].Outcome == PushOutcome.Retrying));

        // Li Na signs in on that phone and turns alerts on: the same browser subscription is hers now.
        var moved = await _data.Get<PushDevices>().SubscribeAsync((await _data.ActorAsync("staff2")).UserId, phone.Request("shared-phone"));
        Assert.True(moved.IsOk, moved.Describe());
        _data.Time.Advance(TimeSpan.FromSeconds(30));

        var failed = await PollAsync(_data, db => db.PushDeliveries.SingleAsync(d => d.Id == waiting.Id), d => d.Outcome == PushOutcome.Failed);
        Assert.Equal("The device is no longer the recipient's", failed.Error);
        Assert.Single(_push.For("shared-phone")); // only the first try, while it was still his
    }

    [Fact]
    public async Task AHangingPushService_DoesNotDelayAnotherDevice_AndTimesOutIntoARetry()
    {
        await StartSenderAsync(_data);
        await SubscribeAsync("staff1", "stuck");
        await SubscribeAsync("staff1", "phone");
        _push.Set("stuck", TestPushService.Reply.Hang);

        await ReportAsync(urgent: false);

        await _push.WaitForAsync(r => r.Any(x => x.Device == "phone") && r.Any(x => x.Device == "stuck"));
        var phone = await _data.QueryAsync(db => db.PushSubscriptions.SingleAsync(s => s.Endpoint.EndsWith("/phone")));
        await PollAsync(_data, db => db.PushDeliveries.SingleAsync(d => d.SubscriptionId == phone.Id), d => d.Outcome == PushOutcome.Delivered);
        var stuck = await _data.QueryAsync(db => db.PushSubscriptions.SingleAsync(s => s.Endpoint.EndsWith("/stuck")));
        Assert.Equal(PushOutcome.Sending, (await _data.QueryAsync(db => db.PushDeliveries.SingleAsync(d => d.SubscriptionId == stuck.Id))).Outcome);

        _data.Time.Advance(TimeSpan.FromSeconds(10)); // Push:RequestTimeoutSeconds
        var retrying = await PollAsync(_data, db => db.PushDeliveries.SingleAsync(d => d.SubscriptionId == stuck.Id), d => d.Outcome == PushOutcome.Retrying);
        Assert.Contains("No answer", retrying.Error);
    }

    [Fact]
    public async Task AfterARestart_UnsentAlertsAreCaughtUp_ButADeviceAddedLaterGetsNoOldAlerts()
    {
        // The first process stores the alert and dies before its sender ran.
        await SubscribeAsync("staff1", "phone");
        await ReportAsync(urgent: false);
        await _data.StopAsync();

        var restarted = await TestData.CreateAsync(reuseDirectory: _data.Directory);
        _data = restarted;
        restarted.Time.Advance(TimeSpan.FromMinutes(1));
        await SubscribeAsync("staff1", "new-phone", restarted);
        await StartSenderAsync(restarted);

        await _push.WaitForAsync(r => r.Any(x => x.Device == "phone"));
        var deliveries = await PollAsync(restarted, DeliveriesAsync, d => d.Count == 1 && d[0].Outcome == PushOutcome.Delivered);
        Assert.Empty(_push.For("new-phone"));
        Assert.Single(deliveries);
    }

    [Fact]
    public async Task AnExpiredReminder_IsNotPushed()
    {
        await SubscribeAsync("staff1", "phone");
        var staff1 = (await _data.ActorAsync("staff1")).UserId;
        var now = _data.Time.GetUtcNow();
        await _data.Get<NotificationService>().SendAsync([
            new NewNotification(staff1, NotificationKind.Reminder, "Staff meeting in 5 minutes", null, null, "/meetings/1", "soon", ExpiresAt: now.AddMinutes(5)),
            new NewNotification(staff1, NotificationKind.Reminder, "Safety round today", null, null, "/rounds/1", "today", ExpiresAt: now.AddHours(8)),
        ]);

        // The sender was down until after the meeting started.
        _data.Time.Advance(TimeSpan.FromMinutes(6));
        await StartSenderAsync(_data);

        var request = Assert.Single(await _push.WaitForAsync(r => r.Count >= 1));
        var deliveries = await PollAsync(_data, DeliveriesAsync, d => d.Count == 1 && d[0].Outcome == PushOutcome.Delivered);
        var sent = await _data.QueryAsync(db => db.Notifications.SingleAsync(n => n.Id == deliveries[0].NotificationId));
        Assert.Equal("Safety round today", sent.Title);
        Assert.Equal(((long)TimeSpan.FromHours(8).Subtract(TimeSpan.FromMinutes(6)).TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture), request.Headers["TTL"]);
    }

    [Fact]
    public async Task Deactivation_RemovesThePersonsDevices()
    {
        await SubscribeAsync("staff2", "phone");
        await SubscribeAsync("staff1", "other");
        var staff2 = await _data.ActorAsync("staff2");

        var result = await _data.Get<StaffAdminService>().SetActiveAsync(staff2.UserId, false, await _data.ActorAsync("admin"));

        Assert.True(result.IsOk, result.Describe());
        Assert.Empty(await _data.Get<PushDevices>().ListAsync(staff2.UserId));
        Assert.Single(await _data.Get<PushDevices>().ListAsync((await _data.ActorAsync("staff1")).UserId));
    }

    [Fact]
    public async Task ABrowserThatSubscribesAgainForSomeoneElse_MovesToThem_AndTheCapReplacesTheLongestUnusedDevice()
    {
        var devices = _data.Get<PushDevices>();
        var staff1 = (await _data.ActorAsync("staff1")).UserId;
        var staff2 = (await _data.ActorAsync("staff2")).UserId;
        var shared = await SubscribeAsync("staff1", "shared");

        var moved = await devices.SubscribeAsync(staff2, shared.Request("Shared tablet"));

        Assert.True(moved.IsOk);
        Assert.Empty(await devices.ListAsync(staff1));
        Assert.Equal("Shared tablet", Assert.Single(await devices.ListAsync(staff2)).Label);

        for (var i = 0; i < 11; i++)
        {
            _data.Time.Advance(TimeSpan.FromMinutes(1));
            await SubscribeAsync("staff1", $"d{i}");
        }
        var kept = await devices.ListAsync(staff1);
        Assert.Equal(10, kept.Count); // Push:MaxDevicesPerUser
        Assert.DoesNotContain(kept, d => d.Label == "d0");
    }

    [Fact]
    public async Task VapidKeys_AreMadeOnce_AndTwoInstancesOverOneDatabase_AndARestart_AllUseThatPair()
    {
        var other = await TestData.CreateAsync(reuseDirectory: _data.Directory);
        try
        {
            var pairs = await Task.WhenAll(
                Task.Run(() => _data.Get<VapidKeys>().GetAsync()),
                Task.Run(() => other.Get<VapidKeys>().GetAsync()));
            Assert.Equal(pairs[0], pairs[1]);
            Assert.Null(VapidKeys.Check(pairs[0].PublicKey, pairs[0].PrivateKey));
            await other.StopAsync();
            other = await TestData.CreateAsync(reuseDirectory: _data.Directory);

            Assert.Equal(pairs[0], await other.Get<VapidKeys>().GetAsync());
            Assert.Equal(1, await other.QueryAsync(db => db.PushVapidKeys.CountAsync()));
        }
        finally
        {
            await other.StopAsync();
        }
    }
}
