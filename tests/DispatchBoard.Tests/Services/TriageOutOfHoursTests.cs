using System.Globalization;
using DispatchBoard.Testing;
using DispatchBoard.Web.Notifications;
using DispatchBoard.Web.Staff;
using DispatchBoard.Web.Tickets;

namespace DispatchBoard.Tests.Services;

/// <summary>
/// Triage out of hours: a school open Monday–Friday 07:30–17:30 (Asia/Shanghai), Friday 27 November 2026 after closing,
/// the staff off duty and Wang Lei (staff1) on call for the night.
/// </summary>
public sealed class TriageOutOfHoursTests : IAsyncLifetime
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private TestData _data = default!;

    private static DateTimeOffset Local(string text)
    {
        var local = DateTime.ParseExact(text, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    public async Task InitializeAsync()
    {
        _data = await TestData.CreateAsync(now: Local("2026-11-27 17:00"), settings: new Dictionary<string, string?>(TestHours.SchoolWeek()));
        foreach (var who in new[] { "staff1", "staff2", "staff3" })
        {
            await _data.SetDutyAsync(who, false);
        }
        var onCall = await _data.Get<RosterService>().AddSlotAsync(
            new RosterSlotInput((await _data.ActorAsync("staff1")).StaffId, DayOfWeek.Friday, "17:30", "07:30", RosterKind.OnCall), await _data.ActorAsync("admin"));
        Assert.True(onCall.IsOk, onCall.Describe());
    }

    public async Task DisposeAsync() => await _data.DisposeAsync();

    [Fact]
    public async Task ANormalReportWaitingForTheOpening_CorrectedToUrgent_WakesThePersonOnCall_Once()
    {
        _data.Time.SetUtcNow(Local("2026-11-27 19:00"));
        var reported = await _data.Get<TicketIntake>().ReportAsync(
            new ReportTicket("B101", "Plumbing", "Water dripping from the ceiling", false, null, null), TicketChannel.Web, null);
        Assert.True(reported.IsOk, reported.Describe());
        var before = await _data.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Tickets.Where(t => t.Id == reported.Value!.Id)));
        Assert.True(before.WaitingForOpening);
        Assert.Empty(await _data.NotificationsForAsync("staff1"));

        var result = await _data.Get<TicketTriage>().CorrectAsync(reported.Value!.Id, new CorrectTicket(Priority: "Urgent"), await _data.ActorAsync("dispatcher"));

        Assert.True(result.IsOk, result.Describe());
        Assert.Equal("Wang Lei", result.Value!.RoutedTo);
        var alert = Assert.Single(await _data.NotificationsForAsync("staff1"));
        Assert.Equal(NotificationKind.Routed, alert.Kind);
        Assert.True(alert.Urgent);
        var after = await _data.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Tickets.Where(t => t.Id == reported.Value!.Id)));
        Assert.False(after.WaitingForOpening);
        var clock = await _data.Get<ResponseClocks>().NowAsync();
        Assert.Equal(clock.DueAt(TicketPriority.Urgent, TicketCategory.Plumbing, after.QueuedAt, null), after.ResponseDueAt);
        Assert.True(after.ResponseDueAt < before.ResponseDueAt);
    }
}
